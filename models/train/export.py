"""export: a checkpoint (or random weights) -> a model folder transformers.js loads.

Writes Hugging Face layout:
  config.json              llama config + {"nextedit": {prompt_format, budget, positions, trained}}
  generation_config.json
  tokenizer.json, tokenizer_config.json, special_tokens_map.json   (models/tokenizer)
  onnx/model.onnx          fp32 decoder with KV cache (transformers.js' input/output names)

Then checks the ONNX file with onnxruntime-node (check_onnx.mjs): its logits equal
PyTorch's, and a cached forward equals a full one. quantize.py makes the q8 file.

  /usr/bin/python3 models/train/export.py --checkpoint models/runs/student/best.pt \\
      --out models/nextedit-student --budget-json '{"near":256,"history":256}'
  /usr/bin/python3 models/train/export.py --random tiny --out models/tiny-random
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import PRESETS, LlamaForCausalLM, hf_config, load_checkpoint, save_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER_DIR = os.path.join(HERE, "..", "tokenizer")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
OPSET = 14


class OnnxDecoder(nn.Module):
    """Flat tensors in and out, in the order the ONNX graph names them."""

    def __init__(self, model: LlamaForCausalLM):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        return (logits, *[t for kv in presents for t in kv])


def io_names(layers: int) -> tuple[list[str], list[str], dict]:
    past = [f"past_key_values.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]
    present = [f"present.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for n in past:
        axes[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in present:
        axes[n] = {0: "batch_size", 2: "total_sequence_length"}
    return ["input_ids", "attention_mask", "position_ids", *past], ["logits", *present], axes


def dummy_inputs(model: LlamaForCausalLM, past_len: int, new_len: int, seed: int = 0):
    """Inputs with a non-empty past (so the past axis exports as dynamic)."""
    c = model.config
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(11, c.vocab_size, (1, past_len + new_len), generator=g)
    with torch.no_grad():
        _, past = model(ids[:, :past_len])
    mask = torch.ones(1, past_len + new_len, dtype=torch.long)
    pos = torch.arange(past_len, past_len + new_len)[None]
    return ids, (ids[:, past_len:], mask, pos, *[t for kv in past for t in kv])


def export_onnx(model: LlamaForCausalLM, path: str) -> None:
    model.eval()
    inputs, outputs, axes = io_names(model.config.num_hidden_layers)
    _, args = dummy_inputs(model, past_len=3, new_len=2)
    with torch.no_grad():
        torch.onnx.export(OnnxDecoder(model), args, path, input_names=inputs, output_names=outputs,
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))


def reference(model: LlamaForCausalLM) -> dict:
    """A prompt and PyTorch's logits for it: check_onnx.mjs compares the ONNX model to these."""
    ids, _ = dummy_inputs(model, past_len=0, new_len=24, seed=1)
    with torch.no_grad():
        logits, _ = model(ids)
    return {"input_ids": ids[0].tolist(), "logits": logits[0].flatten().tolist(), "vocab_size": model.config.vocab_size,
            "num_hidden_layers": model.config.num_hidden_layers, "num_key_value_heads": model.config.num_key_value_heads,
            "head_dim": model.config.head_dim}


def check(out: str, model: LlamaForCausalLM, file: str = "onnx/model.onnx", tol: float = 1e-3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ref = os.path.join(tmp, "ref.json")
        save_json(ref, reference(model))
        subprocess.run(["node", os.path.join(HERE, "check_onnx.mjs"), os.path.join(out, file), ref, str(tol)], check=True)


def write_folder(out: str, model: LlamaForCausalLM, nextedit: dict) -> None:
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    cfg = hf_config(model.config, {"nextedit": nextedit})
    save_json(os.path.join(out, "config.json"), cfg)
    save_json(os.path.join(out, "generation_config.json"),
              {"eos_token_id": cfg["eos_token_id"], "pad_token_id": cfg["pad_token_id"], "do_sample": False})
    for f in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(TOKENIZER_DIR, f), os.path.join(out, f))
    export_onnx(model, os.path.join(out, "onnx", "model.onnx"))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="train.py checkpoint (best.pt / last.pt)")
    src.add_argument("--random", choices=sorted(PRESETS), help="random weights of a preset (test models)")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--budget-json", help='prompt budget the model was trained with, e.g. \'{"near":256,"history":256}\'')
    p.add_argument("--min-confidence", type=float,
                   help="nextedit.min_confidence: hold back predictions whose lowest token probability is below it "
                        "(calibrate with the eval CLI's confidence field on held-out cases)")
    p.add_argument("--min-verified", type=float,
                   help="nextedit.min_verified: show a candidate the model chose only when it prefers it to its span "
                        "unchanged at least this much (calibrate.py --answers); also turns verify_candidates on")
    p.add_argument("--min-location", type=float,
                   help="nextedit.min_location: ... and whose place the model's first answer token gives this probability")
    p.add_argument("--own-answers", choices=["any", "line-completion"],
                   help="nextedit.own_answers: which of the model's own answers may be shown (calibrate.py --answers)")
    p.add_argument("--format", default="native@1", help="prompt format the model was trained on, name@version")
    p.add_argument("--seed", type=int, default=0, help="seed for --random")
    p.add_argument("--no-check", action="store_true", help="skip the onnxruntime-node parity check")
    args = p.parse_args(argv)

    if args.checkpoint:
        model, ck = load_checkpoint(args.checkpoint)
        trained = {k: ck["meta"].get(k) for k in ("steps", "tokens", "answer_tokens", "examples",
                                                    "train_seconds", "best_val_loss", "data", "stages") if k in ck["meta"]}
    else:
        torch.manual_seed(args.seed)
        model, trained = LlamaForCausalLM(PRESETS[args.random]), {"random": True, "seed": args.seed}
    name, _, version = args.format.partition("@")
    nextedit = {"prompt_format": name, "trained": trained}
    if version and version != "1":
        nextedit["prompt_format_version"] = int(version)
    # The runtime feeds the format's aligned positions only to models trained with them.
    if args.checkpoint and ck["meta"].get("positions") == "aligned":
        nextedit["positions"] = "aligned"
    if args.budget_json:
        nextedit["budget"] = json.loads(args.budget_json)
    if args.min_confidence is not None:
        nextedit["min_confidence"] = args.min_confidence
    if args.min_verified is not None:
        nextedit["min_verified"] = args.min_verified
    if args.min_location is not None:
        nextedit["min_location"] = args.min_location
    if args.own_answers is not None:
        nextedit["own_answers"] = args.own_answers
    if args.min_verified is not None and args.min_verified <= 1:
        nextedit["verify_candidates"] = True
    model.eval()
    print(f"export: {model.num_params():,} params -> {args.out}", file=sys.stderr)
    write_folder(args.out, model, nextedit)
    if not args.no_check:
        check(args.out, model)
    print(f"export: wrote {args.out}/onnx/model.onnx "
          f"({os.path.getsize(os.path.join(args.out, 'onnx', 'model.onnx')) / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
