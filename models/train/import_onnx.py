"""import_onnx: a shipped model folder's fp32 ONNX weights back into a training checkpoint.

Lets a new training stage start from the weights that are committed (the ONNX
files under models/<name>/onnx/) when no .pt checkpoint is at hand, and grows
the vocabulary when a prompt format added special tokens (new rows: the mean
embedding, so the new tokens start neutral). Checked: the imported model's
logits equal the ONNX model's (onnxruntime-node, check_onnx.mjs) before growing.

  import_onnx.py --model models/nextedit-student --out models/runs/student-v1.pt [--vocab-size 4128]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import check  # noqa: E402
from model import LlamaConfig, LlamaForCausalLM  # noqa: E402

# Per layer, the exported graph's MatMul weights appear in forward order (transposed).
LAYER_MATMULS = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                 "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")


def matmul_weights_in_order(graph) -> list[str]:
    """Initializer names consumed by MatMul nodes, in node order (each once)."""
    inits = {i.name for i in graph.initializer}
    seen, order = set(), []
    for node in graph.node:
        if node.op_type != "MatMul":
            continue
        for name in node.input:
            if name in inits and name not in seen:
                seen.add(name)
                order.append(name)
    return order


def import_folder(folder: str) -> tuple[LlamaForCausalLM, dict]:
    import onnx
    from onnx import numpy_helper

    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        hf = json.load(f)
    config = LlamaConfig.from_dict(hf)
    graph = onnx.load(os.path.join(folder, "onnx", "model.onnx")).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state = {"model.embed_tokens.weight": arrays["model.embed_tokens.weight"]}
    # The exporter keeps one copy of identical initializers (all-ones norms of an
    # untrained model): a missing norm equals a kept one. The parity check catches a wrong pick.
    kept_norm = next(v for k, v in arrays.items() if k.endswith("norm.weight"))
    norms = ["model.norm.weight"] + [f"model.layers.{layer}.{norm}.weight" for layer in range(config.num_hidden_layers)
                                     for norm in ("input_layernorm", "post_attention_layernorm")]
    for key in norms:
        state[key] = arrays.get(key, kept_norm)
    matmuls = matmul_weights_in_order(graph)
    per_layer = len(LAYER_MATMULS)
    if len(matmuls) < per_layer * config.num_hidden_layers:
        raise SystemExit(f"{folder}: found {len(matmuls)} MatMul weights, expected {per_layer * config.num_hidden_layers}+")
    for layer in range(config.num_hidden_layers):
        for j, part in enumerate(LAYER_MATMULS):
            state[f"model.layers.{layer}.{part}.weight"] = arrays[matmuls[layer * per_layer + j]].T
    if not config.tie_word_embeddings:
        state["lm_head.weight"] = arrays[matmuls[per_layer * config.num_hidden_layers]].T
    model = LlamaForCausalLM(config)
    # The exported names carry Hugging Face's "model." prefix; ours do not.
    tensors = {k.removeprefix("model."): torch.tensor(np.array(v)).float() for k, v in state.items()}
    if config.tie_word_embeddings:
        tensors["lm_head.weight"] = tensors["embed_tokens.weight"]
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if "rotary" not in m]
    if missing or unexpected:
        raise SystemExit(f"{folder}: weights missing {missing}, unexpected {unexpected}")
    return model, hf


def grow_vocab(model: LlamaForCausalLM, size: int) -> LlamaForCausalLM:
    """The same model with `size` token rows; new rows are the mean embedding."""
    old = model.config.vocab_size
    if size <= old:
        return model
    config = LlamaConfig.from_dict({**model.config.to_dict(), "vocab_size": size})
    grown = LlamaForCausalLM(config)
    state = model.state_dict()
    emb = state["embed_tokens.weight"]
    state["embed_tokens.weight"] = torch.cat([emb, emb.mean(0, keepdim=True).repeat(size - old, 1)])
    if config.tie_word_embeddings:
        state["lm_head.weight"] = state["embed_tokens.weight"]
    else:
        head = state["lm_head.weight"]
        state["lm_head.weight"] = torch.cat([head, head.mean(0, keepdim=True).repeat(size - old, 1)])
    grown.load_state_dict(state)
    return grown


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model folder (config.json, onnx/model.onnx)")
    p.add_argument("--out", required=True, help="checkpoint to write (train.py --init takes it)")
    p.add_argument("--vocab-size", type=int, default=0, help="grow the vocabulary to this size")
    p.add_argument("--no-check", action="store_true", help="skip the onnxruntime-node parity check")
    args = p.parse_args(argv)
    model, hf = import_folder(args.model)
    if not args.no_check:
        check(args.model, model)  # raises when the logits differ
        print(f"{args.model}: imported weights reproduce the ONNX logits", file=sys.stderr)
    model = grow_vocab(model, args.vocab_size)
    nextedit = hf.get("nextedit", {})
    trained = nextedit.get("trained", {})
    stages = trained.get("stages", []) + [{k: trained.get(k) for k in ("steps", "tokens", "answer_tokens", "train_seconds", "data")}
                                          | {"positions": nextedit.get("positions"), "first_token_weight": None}]
    meta = {"steps": 0, "tokens": 0, "answer_tokens": 0, "train_seconds": 0.0, "data": [],
            "positions": nextedit.get("positions", "sequential"), "stages": stages[:-1],
            "first_token_weight": None}
    # Shaped like a train.py checkpoint whose own stage is the shipped one.
    meta.update({k: stages[-1][k] for k in ("steps", "tokens", "answer_tokens", "train_seconds", "data")})
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save({"config": model.config.to_dict(), "model": model.state_dict(), "meta": meta, "step": meta["steps"]}, args.out)
    print(f"wrote {args.out}: {model.num_params():,} params, vocab {model.config.vocab_size}", file=sys.stderr)


if __name__ == "__main__":
    main()
