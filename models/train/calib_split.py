"""calib_split: split mined cases from repositories we never train on into a
calibration file (confidence floors are picked on it) and a test file (figures
for the calibrated predictor, never tuned on). Cases are shuffled per
repository with a seeded RNG and at most --per-repo are taken from each, so no
single repository dominates; within a repository they alternate calib/test.

  calib_split.py --in models/data/calib-pool/*.jsonl --calib calib-wide.jsonl \
      --test test-wide.jsonl --per-repo 500 --seed 0
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine import EXCLUDED_REPOS  # noqa: E402


def split(rows_by_repo: dict[str, list[dict]], per_repo: int, seed: int) -> tuple[list[dict], list[dict]]:
    calib: list[dict] = []
    test: list[dict] = []
    for repo in sorted(rows_by_repo):
        if repo.lower() in EXCLUDED_REPOS:
            raise SystemExit(f"calib_split: {repo} is reserved for independent evaluation")
        rows = list(rows_by_repo[repo])
        random.Random(f"{seed}:{repo}").shuffle(rows)
        for i, row in enumerate(rows[:per_repo]):
            (calib if i % 2 == 0 else test).append(row)
    return calib, test


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--in", dest="inputs", nargs="+", required=True, help="mined JSONL files (eval schema)")
    p.add_argument("--calib", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--per-repo", type=int, default=500, help="cases taken per repository (half to each file)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    by_repo: dict[str, list[dict]] = {}
    for path in args.inputs:
        for line in Path(path).read_text(encoding="utf-8").split("\n"):
            if line.strip():
                row = json.loads(line)
                by_repo.setdefault(row["source"]["repo"], []).append(row)
    calib, test = split(by_repo, args.per_repo, args.seed)
    for path, rows in ((args.calib, calib), (args.test, test)):
        Path(path).write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(f"calib_split: {len(rows)} cases from {len(by_repo)} repositories -> {path}")


if __name__ == "__main__":
    main()
