"""synth_copy: synthetic copy-with-edits examples in the native prompt's layout.

A model trained from scratch has to discover in-context copying (induction
heads) before it can rewrite a region, and on natural code it first spends its
steps on n-gram statistics. Random tokens leave copying as the only way to
lower the loss: mixed into training (~20% of tokens) they bring the copying
phase change forward (a 2-layer model copies 24 random tokens at 99.9%
teacher-forced accuracy after ~600k tokens of this data alone). The
structure mirrors format.ts output: <|file|> path <|prefix|> code <|region|>
region-with-<|cursor|> <|/region|> <|answer|> edited region <|/region|>, with
one to three random edits so the answer is never a plain copy (unchanged
regions are answered <|no_edit|> in real data).

  /usr/bin/python3 models/train/synth_copy.py --out models/data/copy.jsonl --count 20000
"""
from __future__ import annotations

import argparse
import json
import random

FILE, PREFIX, REGION, CURSOR, END, ANSWER = 0, 3, 4, 5, 6, 7
FIRST_ORDINARY = 11


def edit(tokens: list[int], rng: random.Random, vocab: int) -> list[int]:
    out = tokens[:]
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(out))
        new = [rng.randrange(FIRST_ORDINARY, vocab) for _ in range(rng.randint(0, 4))]
        out[at:at + rng.randint(0, 3)] = new
    return out if out != tokens else out + [rng.randrange(FIRST_ORDINARY, vocab)]


def example(i: int, rng: random.Random, vocab: int) -> dict:
    tok = lambda n: [rng.randrange(FIRST_ORDINARY, vocab) for _ in range(n)]  # noqa: E731
    region = tok(rng.randint(8, 96))
    cursor = rng.randint(0, len(region))
    prompt = [FILE, *tok(rng.randint(2, 6)), PREFIX, *tok(rng.randint(0, 120)), REGION,
              *region[:cursor], CURSOR, *region[cursor:], END, ANSWER]
    answer = edit(region, rng, vocab) + [END]
    return {"id": f"copy-{i}", "kind": "synthetic-copy", "ids": prompt + answer, "loss_start": len(prompt)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=20000)
    p.add_argument("--vocab-size", type=int, default=4096)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        for i in range(args.count):
            f.write(json.dumps(example(i, rng, args.vocab_size)) + "\n")


if __name__ == "__main__":
    main()
