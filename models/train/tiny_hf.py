"""tiny_hf: a tiny random-weight Qwen2 checkpoint in Hugging Face layout, written here (nothing downloaded).

The shape of Sweep's next-edit models (Qwen2.5-Coder) at toy size: q/k/v biases,
rotary theta 1e6, grouped-query attention, tied or untied embeddings, a vocabulary
padded past the tokenizer's tokens, bf16 safetensors (optionally sharded with an
index), and a byte-level BPE tokenizer.json carrying Qwen's special tokens
(<|endoftext|>, <|file_sep|>, the FIM tokens, ...) so the Sweep prompt's markers
are single tokens. For convert_hf.py's tests and for serving a model by hub id
without the network.

  /usr/bin/python3 models/train/tiny_hf.py --out /tmp/tiny-qwen2 [--untied] [--shards 2]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe import bytes_to_unicode  # noqa: E402
from safetensors_io import save_file  # noqa: E402

QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>",
                 "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"]
# Qwen2's pre-tokenizer split (tokenizer.json of the Qwen2.5 models).
QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def tiny_config(tied: bool = True, vocab: int = 288, hidden: int = 64, layers: int = 2, heads: int = 4,
                kv_heads: int = 2, intermediate: int = 160) -> dict:
    eos = 256  # <|endoftext|>: the first token after the 256 bytes
    return {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "attention_dropout": 0.0,
        "bos_token_id": eos, "eos_token_id": eos, "hidden_act": "silu", "hidden_size": hidden,
        "initializer_range": 0.02, "intermediate_size": intermediate, "max_position_embeddings": 32768,
        "max_window_layers": layers, "num_attention_heads": heads, "num_hidden_layers": layers,
        "num_key_value_heads": kv_heads, "rms_norm_eps": 1e-6, "rope_scaling": None, "rope_theta": 1000000.0,
        "sliding_window": 32768, "tie_word_embeddings": tied, "torch_dtype": "bfloat16",
        "transformers_version": "4.44.0", "use_cache": True, "use_sliding_window": False, "vocab_size": vocab,
    }


def random_weights(cfg: dict, seed: int = 0, norm_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Random weights, biases and norms far from zero and one. The tied embedding makes the model sure of
    its next token (probability near 1); `norm_scale` < 1 shrinks the final norm and so the logits: a
    model unsure of everything (0.05: no token above a few percent), whose guesses a confidence floor holds back."""
    rng = np.random.default_rng(seed)
    hid, inter, vocab = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    d = hid // cfg["num_attention_heads"]
    q, kv = cfg["num_attention_heads"] * d, cfg["num_key_value_heads"] * d
    lin = lambda o, i: rng.normal(0, 1 / np.sqrt(i), (o, i)).astype(np.float32)  # noqa: E731
    vec = lambda n, mean, std: (mean + rng.normal(0, std, n)).astype(np.float32)  # noqa: E731
    w = {"model.embed_tokens.weight": rng.normal(0, 1, (vocab, hid)).astype(np.float32),
         "model.norm.weight": vec(hid, 1, 0.1) * np.float32(norm_scale)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w |= {p + "input_layernorm.weight": vec(hid, 1, 0.1), p + "post_attention_layernorm.weight": vec(hid, 1, 0.1),
              p + "self_attn.q_proj.weight": lin(q, hid), p + "self_attn.q_proj.bias": vec(q, 0, 0.2),
              p + "self_attn.k_proj.weight": lin(kv, hid), p + "self_attn.k_proj.bias": vec(kv, 0, 0.2),
              p + "self_attn.v_proj.weight": lin(kv, hid), p + "self_attn.v_proj.bias": vec(kv, 0, 0.2),
              p + "self_attn.o_proj.weight": lin(hid, q),
              p + "mlp.gate_proj.weight": lin(inter, hid), p + "mlp.up_proj.weight": lin(inter, hid),
              p + "mlp.down_proj.weight": lin(hid, inter)}
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = lin(vocab, hid)
    return w


def tokenizer_files(model_max_length: int = 32768) -> dict[str, dict]:
    """tokenizer.json (byte-level BPE over the 256 bytes, Qwen's specials after them) and its two companions."""
    vocab = {ch: b for b, ch in sorted(bytes_to_unicode().items())}
    added = [{"id": 256 + i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(QWEN_SPECIALS)]
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": QWEN_SPLIT}, "behavior": "Isolated", "invert": False}, byte_level]},
        "post_processor": byte_level, "decoder": byte_level,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": []},
    }
    config = {"add_prefix_space": False, "bos_token": None, "clean_up_tokenization_spaces": False,
              "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "errors": "replace",
              "model_max_length": model_max_length, "split_special_tokens": False, "tokenizer_class": "Qwen2Tokenizer",
              "added_tokens_decoder": {str(t["id"]): {k: v for k, v in t.items() if k != "id"} for t in added},
              "additional_special_tokens": QWEN_SPECIALS[1:]}
    special = {"eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "additional_special_tokens": QWEN_SPECIALS[1:]}
    return {"tokenizer.json": tokenizer, "tokenizer_config.json": config, "special_tokens_map.json": special}


def write_checkpoint(out: str, tied: bool = True, seed: int = 0, dtype: str = "BF16", shards: int = 1,
                     norm_scale: float = 1.0, **sizes) -> tuple[dict, dict[str, np.ndarray]]:
    """Write the folder; returns its config and the weights as stored (float32, after rounding to `dtype`)."""
    from safetensors_io import bf16_to_f32, f32_to_bf16
    os.makedirs(out, exist_ok=True)
    cfg = tiny_config(tied, **sizes)
    cfg["torch_dtype"] = {"BF16": "bfloat16", "F16": "float16", "F32": "float32"}[dtype]
    weights = random_weights(cfg, seed, norm_scale)
    names = sorted(weights)
    if shards == 1:
        save_file(weights, os.path.join(out, "model.safetensors"), dtype)
    else:
        files = [f"model-{i + 1:05d}-of-{shards:05d}.safetensors" for i in range(shards)]
        weight_map = {}
        for i, f in enumerate(files):
            part = {n: weights[n] for n in names[i::shards]}
            save_file(part, os.path.join(out, f), dtype)
            weight_map |= {n: f for n in part}
        total = sum(a.size for a in weights.values()) * {"BF16": 2, "F16": 2, "F32": 4}[dtype]
        with open(os.path.join(out, "model.safetensors.index.json"), "w") as fh:
            json.dump({"metadata": {"total_size": int(total)}, "weight_map": weight_map}, fh, indent=2)
    for name, obj in [("config.json", cfg), ("generation_config.json",
                                             {"bos_token_id": cfg["bos_token_id"], "eos_token_id": cfg["eos_token_id"],
                                              "do_sample": False}), *tokenizer_files().items()]:
        with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
            json.dump(obj, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    stored = {n: bf16_to_f32(f32_to_bf16(a)) if dtype == "BF16" else a.astype(np.float16).astype(np.float32)
              if dtype == "F16" else a for n, a in weights.items()}
    return cfg, stored


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--untied", action="store_true", help="a separate lm_head (default: tied to the embedding)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", default="BF16", choices=["BF16", "F16", "F32"])
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--norm-scale", type=float, default=1.0,
                   help="scale the final norm: below 1 an unsure model (0.05: no token above a few percent)")
    args = p.parse_args(argv)
    write_checkpoint(args.out, not args.untied, args.seed, args.dtype, args.shards, args.norm_scale)
    print(f"tiny_hf: wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
