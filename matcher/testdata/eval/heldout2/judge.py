#!/usr/bin/env python3
"""Second held-out ranking set: apply the rubric (../RUBRIC.md) to every
profile x ad pair and write judgments.tsv, with ../heldout/judge.py's rules
and this set's specialties. Written by the Passerelle lead (stop 20). The
readings (readings.tsv) were made by hand from each ad's text, before any
run of Passerelle on these ads. Nothing here reads Passerelle's output.

Run: python3 judge.py   (from this folder)
"""
import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# The profile's specialty, read from its headline and skills.
SPECIALTY = {"g01": "da", "g02": "ml", "g03": "nlp", "g04": "de", "g05": "bi",
             "g06": "cv", "g07": "ds", "g08": "mlops", "g09": "fs", "g10": "da"}


def main():
    spec = importlib.util.spec_from_file_location("heldout_judge", os.path.join(HERE, "..", "heldout", "judge.py"))
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)
    rules.SPECIALTY.clear()
    rules.SPECIALTY.update(SPECIALTY)
    os.chdir(HERE)
    rules.main()
    with open("judgments.tsv", encoding="utf-8") as f:
        lines = f.readlines()
    lines[0] = "# Second held-out ranking set, written by the Passerelle lead: every profile x ad pair judged by judge.py from readings.tsv (see README.md).\n"
    with open("judgments.tsv", "w", encoding="utf-8") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
