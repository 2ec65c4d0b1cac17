"""calibrate: pick a model's confidence floor (config nextedit.min_confidence)
from held-out predictions: the lowest floor at which the suggestions still shown
are exactly right at least --target of the time (a wrong suggestion costs a
user's attention; a missed one costs nothing). Never calibrate on the eval cases.

  npm run eval -- --cases models/data/heldout.jsonl --limit 200 --predictor model \
      --model models/nextedit-student --min-confidence 0 --out /tmp/heldout-pred.jsonl
  /usr/bin/python3 models/train/calibrate.py models/data/heldout.jsonl /tmp/heldout-pred.jsonl
"""
from __future__ import annotations

import argparse
import itertools
import json

FLOORS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def table(cases: dict[str, str], predictions: list[dict]) -> list[dict]:
    """Per floor: suggestions shown, exactly right, and precision (right among shown)."""
    shown = [(p.get("confidence", 0.0), p["prediction"] == cases[p["id"]]) for p in predictions
             if p.get("prediction") is not None]
    rows = []
    for floor in FLOORS:
        kept = [right for conf, right in shown if conf >= floor]
        rows.append({"floor": floor, "shown": len(kept), "exact": sum(kept),
                     "precision": round(sum(kept) / len(kept), 3) if kept else None})
    return rows


def choose(rows: list[dict], target: float, min_shown: int) -> float:
    """The lowest floor meeting the target on enough suggestions, else the highest floor (hold back nearly all)."""
    for r in rows:
        if r["shown"] >= min_shown and r["precision"] is not None and r["precision"] >= target:
            return r["floor"]
    return FLOORS[-1]


PREFERENCES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99, 1.01]
LOCATIONS = [0.0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7]


OWN_ANSWERS = ["any", "line-completion"]


def shown_by(answers: list[dict], min_confidence: float, min_verified: float, min_location: float,
             own_answers: str = "any") -> dict | None:
    """What the predictor shows for one case (ModelPredictor's choose), or None; no-edit is never shown,
    nor an answer that undoes the user (`suggestable` false). Under own_answers "line-completion" only an
    own answer that finishes the cursor's line may be shown (answer_options.ts marks it `line_completion`,
    from core's isLineCompletion); the verified candidates answer instead."""
    own = next((a for a in answers if a["made_by"] == "model"), None)
    if own is not None and own_answers != "any" and own["edit"] and not own.get("line_completion"):
        own = None
    if own is not None and own["min_probability"] >= min_confidence:
        return own if shows(own) else None
    verified = sorted((a for a in answers if a["made_by"] == "model-verified" and "preference" in a
                       and a["first_probability"] >= min_location), key=lambda a: -a["preference"])
    pick = next((a for a in verified if a["preference"] >= min_verified), None)
    return pick if pick is not None and shows(pick) else None


def shows(answer: dict) -> bool:
    return answer["edit"] and answer.get("suggestable", True)


def two_floor_table(rows: list[dict], own_choices: list[str] | None = None) -> list[dict]:
    """Per (own_answers, min_confidence, min_verified, min_location): shown, exact, precision and who made them."""
    out = []
    for own, c, v, loc in itertools.product(own_choices or ["any"], FLOORS + [1.01], PREFERENCES, LOCATIONS):
        picks = [shown_by(r["answers"], c, v, loc, own) for r in rows]
        picks = [p for p in picks if p is not None]
        exact = sum(p["exact"] for p in picks)
        out.append({"own_answers": own, "min_confidence": c, "min_verified": v, "min_location": loc, "shown": len(picks),
                    "exact": exact, "precision": round(exact / len(picks), 3) if picks else None,
                    "verified": sum(p["made_by"] == "model-verified" for p in picks)})
    return out


def choose_two(table_rows: list[dict], target: float, min_shown: int) -> dict:
    """Most exact suggestions at >= target precision (ties: fewer shown, then no own_answers gate, then higher
    floors); else show nothing."""
    ok = [r for r in table_rows if r["shown"] >= min_shown and r["precision"] is not None and r["precision"] >= target]
    if not ok:
        return {"own_answers": "any", "min_confidence": 1.01, "min_verified": 1.01, "min_location": 1.01}
    # Ties: the fewest shown, then "any" (no gate), then the highest floors.
    best = max(ok, key=lambda r: (r["exact"], -r["shown"], r["own_answers"] == "any",
                                  r["min_confidence"], r["min_verified"], r["min_location"]))
    return {k: best[k] for k in ("own_answers", "min_confidence", "min_verified", "min_location")}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", nargs="?", help="held-out cases (eval schema JSONL)")
    p.add_argument("predictions", nargs="?", help="the eval CLI's --out, run with --min-confidence 0")
    p.add_argument("--answers", help="answer_options.ts output: calibrate min_confidence and min_verified together")
    p.add_argument("--target", type=float, default=0.5, help="precision the shown suggestions must reach")
    p.add_argument("--min-shown", type=int, default=3, help="fewest suggestions a floor must keep to count")
    p.add_argument("--own-answers", choices=OWN_ANSWERS + ["both"], default="both",
                   help="which own answers may be shown (config nextedit.own_answers); both: pick with the floors")
    args = p.parse_args(argv)
    if args.answers:
        rows = [json.loads(line) for line in open(args.answers, encoding="utf-8") if line.strip()]
        t = two_floor_table(rows, OWN_ANSWERS if args.own_answers == "both" else [args.own_answers])
        for r in t:
            if r["shown"]:
                print(json.dumps(r))
        print(json.dumps({"cases": len(rows), **choose_two(t, args.target, args.min_shown)}))
        return
    if not args.cases or not args.predictions:
        p.error("give CASES PREDICTIONS, or --answers FILE")
    predictions = [json.loads(line) for line in open(args.predictions, encoding="utf-8") if line.strip()]
    wanted = {p["id"] for p in predictions}
    cases = {}
    with open(args.cases, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            if c["id"] in wanted:
                cases[c["id"]] = c["after"]
    rows = table(cases, predictions)
    for r in rows:
        print(json.dumps(r))
    print(json.dumps({"cases": len(predictions), "min_confidence": choose(rows, args.target, args.min_shown)}))


if __name__ == "__main__":
    main()
