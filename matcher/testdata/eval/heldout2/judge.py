#!/usr/bin/env python3
"""Held-out ranking set: apply the rubric (../RUBRIC.md) to every profile x ad
pair and write judgments.tsv. Written by the prose13 helper of the Passerelle
team. The readings (readings.tsv) were made by hand from each ad's text; the
specialty of each profile and the closeness of specialties (AFFINITY) are our
judgment, written once for all ads. Nothing here reads Passerelle's output.

Run: python3 judge.py   (from this folder)
"""
import csv, json, unicodedata

# The profile's specialty, read from its headline and skills.
SPECIALTY = {"g01": "da", "g02": "ml", "g03": "nlp", "g04": "de", "g05": "bi",
             "g06": "cv", "g07": "ds", "g08": "mlops", "g09": "fs", "g10": "da"}

# Grade of an ad's family for a specialty before level, scope and skills:
# 3 the specialty, 2 a neighbouring one, 1 another job with skills in
# common, 0 (absent) another field.
AFFINITY = {
    "da": {"da": 3, "bi": 2, "ds": 2, "de": 1, "ml": 1},
    "bi": {"bi": 3, "da": 2, "de": 1, "ds": 1},
    "ds": {"ds": 3, "ml": 2, "da": 2, "nlp": 1, "cv": 1, "bi": 1, "de": 1, "llm": 1},
    "ml": {"ml": 3, "ds": 2, "cv": 2, "nlp": 2, "llm": 2, "mlops": 2, "de": 1, "fs": 1},
    "nlp": {"nlp": 3, "llm": 3, "ml": 2, "ds": 1, "cv": 1},
    "cv": {"cv": 3, "ml": 2, "ds": 1, "nlp": 1, "llm": 1},
    "de": {"de": 3, "mlops": 1, "da": 1, "bi": 1, "ml": 1, "ds": 1},
    "mlops": {"mlops": 3, "ml": 2, "de": 1, "llm": 1, "fs": 1},
    "fs": {"fs": 3, "llm": 2, "ml": 1, "mlops": 1},
}


def fold(s):
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower().strip()


def split(s):
    return [x.strip() for x in s.split(",") if x.strip()]


def judge(p, r):
    """Returns (grade, eligible, note) for profile p and reading r."""
    seek = p["seeking"]
    if r["expired"] == "yes":
        return 0, False, "expired"
    if r["workplace"] not in seek["workplace"]:
        return 0, False, r["workplace"] + " not accepted"
    if r["workplace"] == "remote":
        if r["scope"] == "no":
            return 0, False, "remote, not open to Morocco"
    else:
        sought = [fold(x) for x in seek["locations"]]
        places = [fold(x) for x in split(r["places"])]
        # every place of this set is in Morocco
        if "ma" not in sought and not any(x in sought for x in places):
            return 0, False, "place not sought: " + r["places"]
    missing = [l for l in split(r["languages"]) if l not in p["languages"]]
    if missing:
        return 0, False, "requires " + ",".join(missing)
    lvl, want = r["level"], seek["seniority"]
    if lvl == "internship" and "internship" not in want:
        return 0, False, "internship not sought"
    if lvl in ("senior", "lead") and lvl not in want:
        return 0, False, lvl + " role"
    if lvl == "mid" and want == ["internship"]:
        return 0, False, "mid-level role for an internship seeker"
    if r["contracts"] and not set(split(r["contracts"])) & set(seek["employment"]):
        return 0, False, "contract " + r["contracts"] + " not sought"
    g = AFFINITY[SPECIALTY[p["id"]]].get(r["family"], 0)
    notes = [r["family"] + " ad for a " + SPECIALTY[p["id"]] + " profile"]
    if g == 3:
        have = {fold(s) for s in p["skills"]}
        need = [fold(s) for s in split(r["skills"])]
        held = sum(1 for s in need if s in have)
        if need and held * 2 < len(need):
            g, notes = 2, notes + ["%d of %d skills held" % (held, len(need))]
    if lvl == "mid" and "mid" not in want and g > 2:
        g, notes = 2, notes + ["mid-level stretch"]
    if r["workplace"] == "remote" and r["scope"] == "?" and g > 2:
        g, notes = 2, notes + ["remote scope not stated"]
    return g, True, "; ".join(notes)


def main():
    profiles = []
    with open("profiles.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if "id" in d:
                profiles.append(d)
    with open("readings.tsv", encoding="utf-8") as f:
        rows = [l for l in f if not l.startswith("#")]
    readings = list(csv.DictReader(rows, delimiter="\t"))
    with open("judgments.tsv", "w", encoding="utf-8") as out:
        out.write("# Held-out ranking set, written by the Passerelle lead: every profile x ad pair judged by judge.py from readings.tsv (see README.md).\n")
        out.write("profile_id\toffer_key\tgrade\teligible\tnote\n")
        for p in profiles:
            for r in readings:
                g, ok, note = judge(p, r)
                out.write("%s\t%s\t%d\t%s\t%s\n" % (p["id"], r["key"], g, "yes" if ok else "no", note))


if __name__ == "__main__":
    main()
