"""pack_checkpoint: a train.py checkpoint -> weights-only fp16 file small enough to commit.

The next session's stage starts from it (`train.py --init PACKED.pt`): weights, config
and the training record (meta, with every earlier stage) travel; the optimizer state
does not (a new stage starts a fresh optimizer and schedule anyway). A 2.76M-parameter
student packs to ~5.5 MB.

  pack_checkpoint.py models/runs/student-v2/last.pt models/nextedit-student/checkpoint/student.pt
"""
from __future__ import annotations

import argparse
import os

import torch


def pack(src: str, dst: str) -> int:
    ck = torch.load(src, map_location="cpu")
    # Tied weights (embeddings and lm_head) share storage: keep them shared, so stored once.
    halves: dict[int, torch.Tensor] = {}
    weights = {}
    for k, v in ck["model"].items():
        if v.is_floating_point():
            v = halves.setdefault(v.data_ptr(), v.half())
        weights[k] = v
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    tmp = dst + ".tmp"
    torch.save({"config": ck["config"], "model": weights, "meta": ck["meta"], "step": ck["step"]}, tmp)
    os.replace(tmp, dst)
    return os.path.getsize(dst)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint")
    p.add_argument("out")
    args = p.parse_args(argv)
    size = pack(args.checkpoint, args.out)
    print(f"packed {args.checkpoint} -> {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
