"""average_checkpoints: one checkpoint from the mean weights of stages run side by side.

This machine has two cores and a stage uses one thread best, so two stages run at
once from the same packed checkpoint, each on its own fresh data subset; their mean
(a "model soup": fine-tunes of one starting point stay in one basin) often beats
both. The inputs must share the config and the earlier stages (the same --init);
the output is a train.py checkpoint without optimizer state: pack_checkpoint.py
packs it, train.py --init starts the next stage from it. With --val each input and
the mean are evaluated as train.py does (answer loss on the first --val-examples).

  average_checkpoints.py models/runs/a/best.pt models/runs/b/best.pt \\
      --out models/runs/soup/best.pt --val models/data/v3-val.jsonl
"""
from __future__ import annotations

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import LlamaConfig, LlamaForCausalLM  # noqa: E402

SUMMED = ("steps", "tokens", "answer_tokens", "examples", "train_seconds")


def load(path: str) -> tuple[dict, LlamaForCausalLM]:
    ck = torch.load(path, map_location="cpu")
    model = LlamaForCausalLM(LlamaConfig.from_dict(ck["config"]), init=False)
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ck["model"].items()})
    return ck, model.eval()


def average(paths: list[str]) -> tuple[dict, LlamaForCausalLM]:
    """The mean of the checkpoints' weights, and a training record that sums their stages."""
    if len(paths) < 2:
        raise ValueError("average_checkpoints: give at least two checkpoints")
    loaded = [load(p) for p in paths]
    first_ck, first = loaded[0]
    if not first_ck["meta"].get("stages"):
        raise ValueError(f"average_checkpoints: {paths[0]} records no earlier stage: only stages started with"
                         " train.py --init from the same checkpoint can be averaged")
    for path, (ck, _) in zip(paths[1:], loaded[1:]):
        if ck["config"] != first_ck["config"]:
            raise ValueError(f"average_checkpoints: {path} has another config than {paths[0]}")
        if ck["meta"].get("stages") != first_ck["meta"].get("stages"):
            raise ValueError(f"average_checkpoints: {path} did not start from the same weights as {paths[0]}"
                             " (its earlier stages differ)")
        if ck["meta"].get("positions") != first_ck["meta"].get("positions"):
            raise ValueError(f"average_checkpoints: {path} was trained with {ck['meta'].get('positions')} positions,"
                             f" {paths[0]} with {first_ck['meta'].get('positions')}")
    # Parameters, not the state dict: tied embeddings stay one tensor.
    with torch.no_grad():
        params = [dict(m.named_parameters()) for _, m in loaded]
        for name, p in params[0].items():
            p.copy_(torch.stack([ps[name] for ps in params]).mean(0))
    metas = [ck["meta"] for ck, _ in loaded]
    meta = dict(metas[0])
    for key in SUMMED:
        meta[key] = sum(m.get(key) or 0 for m in metas)
    meta["data"] = [d for m in metas for d in m.get("data", [])]
    meta["averaged"] = [{"from": p, **{k: m.get(k) for k in ("steps", "tokens", "best_val_loss", "data")}}
                        for p, m in zip(paths, metas)]
    meta["best_val_loss"] = None
    return {"config": first_ck["config"], "meta": meta, "step": meta["steps"]}, first


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoints", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--val", help="formatted validation JSONL: evaluate the inputs and the mean")
    p.add_argument("--val-examples", type=int, default=200)
    p.add_argument("--max-len", type=int, default=1536)  # train.py's defaults: the same val loss
    p.add_argument("--batch-tokens", type=int, default=8192)
    args = p.parse_args(argv)
    if os.path.basename(args.out) == "last.pt":
        p.error("--out: train.py resumes a run folder's last.pt with its optimizer state, which a mean has not;"
                " name it best.pt (or anything else) and start the next stage with --init")
    ck, model = average(args.checkpoints)
    if args.val:
        import train  # noqa: E402  (only for evaluation: the same loss train.py reports)
        aligned = ck["meta"].get("positions") == "aligned"
        val = train.read_examples(args.val, args.max_len, aligned)[: args.val_examples]
        for path in args.checkpoints:
            print(f"{path}: val {train.evaluate(load(path)[1], val, args.batch_tokens):.4f}")
        ck["meta"]["best_val_loss"] = round(train.evaluate(model, val, args.batch_tokens), 4)
        print(f"mean of {len(args.checkpoints)}: val {ck['meta']['best_val_loss']:.4f}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    torch.save({**ck, "model": model.state_dict()}, tmp)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
