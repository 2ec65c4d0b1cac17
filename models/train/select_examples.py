"""select: keep the "middle zone" of examples for the next training round (Zeta2's idea).

Scores each formatted example (format.ts output) with the current student,
teacher-forced on the answer: mean NLL per answer token and the share of
answer tokens the model's argmax already gets right. Then drops
  - trivially right examples (argmax gets every answer token, or NLL < --min-nll):
    another round on them teaches nothing;
  - confidently far-off ones (NLL above the --far-quantile of all scores): mostly
    noise in mined data (unpredictable edits), which a small model should not chase.

  select_examples.py --checkpoint models/runs/student/best.pt --in models/data/pool.jsonl \\
            --out models/data/selected.jsonl [--min-nll 0.05] [--far-quantile 0.9]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import load_checkpoint  # noqa: E402
from train import score_answer  # noqa: E402


def quantile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0.0


def select(scored: list[dict], min_nll: float, far_quantile: float) -> tuple[list[dict], dict]:
    far = quantile([s["nll"] for s in scored], far_quantile)
    kept, trivial, off = [], 0, 0
    for s in scored:
        if s["acc"] >= 1.0 or s["nll"] < min_nll:
            trivial += 1
        elif s["nll"] > far:
            off += 1
        else:
            kept.append(s)
    return kept, {"scored": len(scored), "kept": len(kept), "trivial": trivial, "far_off": off,
                  "far_nll": round(far, 4)}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--in", dest="inp", required=True, help="formatted examples (format.ts output)")
    p.add_argument("--out", required=True, help="selected examples, with their scores")
    p.add_argument("--min-nll", type=float, default=0.05)
    p.add_argument("--far-quantile", type=float, default=0.9)
    p.add_argument("--limit", type=int, default=0, help="score at most this many examples")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, ck = load_checkpoint(args.checkpoint)
    model.eval()
    aligned = ck["meta"].get("positions") == "aligned"
    scored = []
    with open(args.inp, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if args.limit and i >= args.limit:
                break
            ex = json.loads(line)
            if aligned and "positions" not in ex:
                p.error(f"{args.inp}:{i + 1}: the checkpoint uses aligned positions; the example has none")
            nll, hits, n, _, _ = score_answer(model, (ex["ids"], ex["loss_start"], ex.get("positions") if aligned else None))
            scored.append({**ex, "nll": round(nll, 4), "acc": round(hits / n, 4)})
            if (i + 1) % 100 == 0:
                print(f"select: scored {i + 1}", file=sys.stderr, flush=True)
    kept, summary = select(scored, args.min_nll, args.far_quantile)
    with open(args.out, "w", encoding="utf-8") as f:
        for ex in kept:
            f.write(json.dumps(ex) + "\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
