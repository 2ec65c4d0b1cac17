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


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", help="held-out cases (eval schema JSONL)")
    p.add_argument("predictions", help="the eval CLI's --out, run with --min-confidence 0")
    p.add_argument("--target", type=float, default=0.5, help="precision the shown suggestions must reach")
    p.add_argument("--min-shown", type=int, default=3, help="fewest suggestions a floor must keep to count")
    args = p.parse_args(argv)
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
