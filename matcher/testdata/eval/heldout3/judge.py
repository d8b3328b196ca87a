#!/usr/bin/env python3
"""Third held-out ranking set: apply the rubric (../RUBRIC.md) to every
profile x ad pair and write judgments.tsv. Written blind by the rank13
helper (issue #13): the readings (readings.tsv) were made by hand from each
ad's text before any run of Passerelle on these ads; nothing here reads
Passerelle's output.

The rules are ../heldout/judge.py's (eligibility first, then the closeness
of the ad's family to the profile's specialty), with two additions this set
needs because some ads are abroad and some graduates wish to move there:

- a place sought may be a country ("France", "Canada") or a city abroad
  ("Dubai"): an on-site or hybrid ad matches it when one of its places is
  that city or lies in that country;
- an on-site or hybrid ad abroad whose scope is "no" requires a work
  authorization the graduate (living in Morocco) does not hold, so it is
  ineligible whatever the places sought; "MA" means the employer provides
  the visa or work permit.

Run: python3 judge.py   (from this folder)
"""
import csv
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# The profile's specialty, read from its headline and skills (q06 is a
# backend developer with a machine-learning base: "fs"; q10 builds LLM
# applications: "nlp", whose specialty includes llm ads).
SPECIALTY = {"q01": "nlp", "q02": "cv", "q03": "de", "q04": "bi", "q05": "mlops",
             "q06": "fs", "q07": "ds", "q08": "da", "q09": "ml", "q10": "nlp"}

# As ../heldout/judge.py: 3 the specialty, 2 a neighbouring one, 1 another
# job with skills in common, 0 (absent) another field.
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

# Countries of the places named in this set's ads (city -> names and code
# a graduate may write for its country).
COUNTRY = {
    "paris": ("france", "fr"), "lyon": ("france", "fr"),
    "montreal": ("canada", "ca"), "toronto": ("canada", "ca"),
    "dubai": ("united arab emirates", "ae"), "riyadh": ("saudi arabia", "sa"),
}


def fold(s):
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower().strip()


def split(s):
    return [x.strip() for x in s.split(",") if x.strip()]


def place_sought(place, sought):
    """Whether an ad's place is one the graduate seeks: the city itself, or
    its country named or coded ("France", "fr")."""
    p = fold(place)
    if p in sought:
        return True
    name, code = COUNTRY.get(p, ("maroc", "ma"))
    if code == "ma":
        return bool({"ma", "maroc", "morocco"} & set(sought))
    return name in sought or code in sought


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
        if not any(place_sought(x, sought) for x in split(r["places"])):
            return 0, False, "place not sought: " + r["places"]
        if r["scope"] == "no":
            return 0, False, "work authorization required: " + r["places"]
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
    os.chdir(HERE)
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
        out.write("# Third held-out ranking set, written blind by the rank13 helper: every profile x ad pair judged by judge.py from readings.tsv (see README.md).\n")
        out.write("profile_id\toffer_key\tgrade\teligible\tnote\n")
        for p in profiles:
            for r in readings:
                g, ok, note = judge(p, r)
                out.write("%s\t%s\t%d\t%s\t%s\n" % (p["id"], r["key"], g, "yes" if ok else "no", note))


if __name__ == "__main__":
    main()
