"""answer_accuracy: teacher-forced answer-token accuracy of a checkpoint on
formatted examples (the model cards' "answer accuracy"): the share of answer
tokens the model's argmax gets right given the true tokens before them, and how
many whole answers come out right. Uses the positions the checkpoint was trained
with (aligned ones come from the examples, format.ts writes them).

  /usr/bin/python3 models/train/answer_accuracy.py models/runs/student/best.pt \
      models/data/val.jsonl --examples 100
"""
from __future__ import annotations

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import load_checkpoint  # noqa: E402
from train import read_examples, score_answer  # noqa: E402


def answer_accuracy(model, examples) -> tuple[float, int]:
    """(token accuracy over all answers, number of answers entirely right)."""
    model.eval()
    right = total = whole = 0
    for ex in examples:
        _, hits, n = score_answer(model, ex)
        right, total, whole = right + hits, total + n, whole + int(hits == n)
    return right / max(total, 1), whole


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint")
    p.add_argument("data", help="formatted JSONL (format.ts output)")
    p.add_argument("--examples", type=int, default=100)
    p.add_argument("--max-len", type=int, default=1536)
    args = p.parse_args(argv)
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    model, ck = load_checkpoint(args.checkpoint)
    positions = ck["meta"].get("positions", "sequential")
    examples = read_examples(args.data, args.max_len, positions == "aligned")[: args.examples]
    acc, whole = answer_accuracy(model, examples)
    print(f"step {ck['step']} ({positions} positions): answer token accuracy {acc:.3f}, "
          f"{whole}/{len(examples)} answers entirely right")


if __name__ == "__main__":
    main()
