"""packed_examples: formatted examples (format.ts JSONL) in one small xz file,
for training where only a few MiB may travel (the lent GPU machine takes 64 MiB
with the repository in it).

Examples cut from the same case share most of their prompt, so xz packs token
ids to about half a byte each (4,000 mined examples: 305 bytes per example,
against ~10 KB of JSONL). train.py reads a packed file wherever it reads JSONL.

  /usr/bin/python3 models/train/packed_examples.py --out models/data/device/train.xz \
      models/data/v3-mined-s36.jsonl models/data/v3-synth-s37.jsonl

Layout (inside xz): one JSON header line, then little-endian arrays of
`examples` uint32 lengths, `examples` uint32 loss starts, `tokens` uint16 ids and
`tokens` int16 position steps (each position minus the one before in its
example; an example's first against 0). Positions are absent (`"positions": false`) when the examples have none.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import sys

import numpy as np

MAGIC = "nextedit-packed-examples"
VERSION = 1


def pack(inputs: list[str], out: str) -> dict:
    """Write the examples of `inputs` (in order) to `out`; returns the header."""
    lengths, starts, ids, steps = [], [], [], []
    with_positions = None
    for path in inputs:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                ex = json.loads(line)
                seq, positions = ex["ids"], ex.get("positions")
                if with_positions is None:
                    with_positions = positions is not None
                if (positions is not None) != with_positions:
                    raise SystemExit(f"{path}:{n}: every example must have positions, or none")
                if max(seq) > 0xFFFF:
                    raise SystemExit(f"{path}:{n}: token id {max(seq)} does not fit 16 bits")
                lengths.append(len(seq))
                starts.append(ex["loss_start"])
                ids.extend(seq)
                if positions is not None:
                    d = np.diff(np.asarray(positions, dtype=np.int64), prepend=0)
                    if d.min() < -0x8000 or d.max() > 0x7FFF:
                        raise SystemExit(f"{path}:{n}: a position step does not fit 16 bits")
                    steps.append(d)
    header = {"format": MAGIC, "version": VERSION, "examples": len(lengths), "tokens": len(ids),
              "positions": bool(with_positions), "sources": [os.path.basename(p) for p in inputs]}
    body = [np.asarray(lengths, dtype="<u4").tobytes(), np.asarray(starts, dtype="<u4").tobytes(),
            np.asarray(ids, dtype="<u2").tobytes()]
    if with_positions:
        body.append(np.concatenate(steps).astype("<i2").tobytes())
    tmp = out + ".tmp"
    with lzma.open(tmp, "wb", preset=6) as f:
        f.write((json.dumps(header) + "\n").encode())
        for b in body:
            f.write(b)
    os.replace(tmp, out)
    return header


def read(path: str) -> list[tuple[list[int], int, list[int] | None]]:
    """(ids, loss_start, positions or None) per example, as train.read_examples gives them."""
    with lzma.open(path, "rb") as f:
        header = json.loads(f.readline())
        if header.get("format") != MAGIC or header.get("version") != VERSION:
            raise SystemExit(f"{path}: not a packed-examples file of version {VERSION}")
        n, t = header["examples"], header["tokens"]

        def array(count: int, dtype: str) -> np.ndarray:
            raw = f.read(count * np.dtype(dtype).itemsize)
            if len(raw) != count * np.dtype(dtype).itemsize:
                raise SystemExit(f"{path}: truncated")
            return np.frombuffer(raw, dtype=dtype)

        lengths, starts, ids = array(n, "<u4"), array(n, "<u4"), array(t, "<u2")
        positions = np.cumsum(array(t, "<i2").astype(np.int64)) if header["positions"] else None
    if int(lengths.sum()) != t:
        raise SystemExit(f"{path}: its lengths do not add up to its {t} tokens")
    out, at = [], 0
    for length, start in zip(lengths.tolist(), starts.tolist()):
        seq = ids[at:at + length].tolist()
        # Each example's steps start from 0, so the running sum ends each example at its
        # last position: take off where the examples before it left the sum.
        pos = None
        if positions is not None:
            base = positions[at - 1] if at else 0
            pos = (positions[at:at + length] - base).tolist()
        out.append((seq, start, pos))
        at += length
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", help="formatted JSONL files (format.ts)")
    p.add_argument("--out", required=True, help="the packed file (.xz)")
    args = p.parse_args(argv)
    header = pack(args.inputs, args.out)
    print(f"packed {header['examples']:,} examples ({header['tokens']:,} tokens) into {args.out}: "
          f"{os.path.getsize(args.out):,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
