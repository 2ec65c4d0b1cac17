"""answer_accuracy: teacher-forced answer-token accuracy of a checkpoint on
formatted examples (the model cards' "answer accuracy"): the share of answer
tokens the model's argmax gets right given the true tokens before them, how many
whole answers come out right, and how well it decides whether to edit at all
(opens no-edit answers, and only those, with <|no_edit|>). Uses the positions
the checkpoint was trained with (aligned ones come from the examples, format.ts
writes them).

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
from special_tokens import NO_EDIT  # noqa: E402
from train import read_examples, score_answer  # noqa: E402


def answer_accuracy(model, examples) -> dict:
    """Token accuracy over all answers, answers entirely right, and the
    edit / no-edit decision (the first answer token): no-edit answers the model
    opens with <|no_edit|>, and edit answers it wrongly opens so."""
    model.eval()
    right = total = whole = no_edit = no_edit_right = false_no_edit = 0
    for ex in examples:
        s = score_answer(model, ex)
        right, total, whole = right + s.hits, total + s.n, whole + int(s.hits == s.n)
        if s.first_target == NO_EDIT:
            no_edit += 1
            no_edit_right += int(s.first_predicted == NO_EDIT)
        else:
            false_no_edit += int(s.first_predicted == NO_EDIT)
    return {"token_accuracy": right / max(total, 1), "whole": whole, "no_edit": no_edit,
            "no_edit_right": no_edit_right, "false_no_edit": false_no_edit}


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
    r = answer_accuracy(model, examples)
    edits = len(examples) - r["no_edit"]
    print(f"step {ck['step']} ({positions} positions): answer token accuracy {r['token_accuracy']:.3f}, "
          f"{r['whole']}/{len(examples)} answers entirely right; opens with <|no_edit|> "
          f"{r['no_edit_right']}/{r['no_edit']} no-edit answers and {r['false_no_edit']}/{edits} edit answers")


if __name__ == "__main__":
    main()
