"""quantize: onnx/model.onnx -> onnx/model_quantized.onnx (q8, transformers.js' dtype "q8").

Weight-only int8: every large 2-D float weight feeding a MatMul/Gemm (or the
embedding Gather) is stored as int8 with one scale per output channel and
turned back into float by a DequantizeLinear node at run time. Activations stay
float, so the graph runs on every onnxruntime-web backend (WASM and WebGPU) with
no contrib ops, at about a quarter of the file size. Uses only the `onnx`
package (Debian has no onnxruntime for Python); check_onnx.mjs then compares
the quantized model's logits with PyTorch's.

  /usr/bin/python3 models/train/quantize.py --model models/nextedit-student
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

# (op, input index) -> the weight axis holding output channels
WEIGHT_USES = {("MatMul", 1): 1, ("Gemm", 1): None, ("Gather", 0): 0}
MIN_ELEMENTS = 1024  # small tensors (norm weights) stay float


def channel_axis(uses: list[tuple[onnx.NodeProto, int]]) -> int | None:
    """The output-channel axis if every use is a weight use with the same axis, else None."""
    axes = set()
    for node, idx in uses:
        if (node.op_type, idx) not in WEIGHT_USES:
            return None
        axis = WEIGHT_USES[(node.op_type, idx)]
        if node.op_type == "Gemm":
            trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
            axis = 0 if trans_b else 1
        axes.add(axis)
    return axes.pop() if len(axes) == 1 else None


def quantize_int8(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-channel int8: w ~= q * scale (scale along `axis`)."""
    reduce = tuple(a for a in range(w.ndim) if a != axis)
    scale = np.abs(w).max(axis=reduce) / 127.0
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def quantize_model(model: onnx.ModelProto) -> tuple[int, int]:
    """Rewrite in place; returns (weights quantized, elements quantized)."""
    g = model.graph
    uses: dict[str, list[tuple[onnx.NodeProto, int]]] = {}
    for node in g.node:
        for i, name in enumerate(node.input):
            uses.setdefault(name, []).append((node, i))
    keep, dq_nodes, count, elements = [], [], 0, 0
    for init in g.initializer:
        w = numpy_helper.to_array(init)
        axis = channel_axis(uses.get(init.name, []))
        if w.dtype != np.float32 or w.ndim != 2 or w.size < MIN_ELEMENTS or axis is None:
            keep.append(init)
            continue
        q, scale = quantize_int8(w, axis)
        keep += [numpy_helper.from_array(q, init.name + "_q"),
                 numpy_helper.from_array(scale, init.name + "_scale"),
                 numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), init.name + "_zero")]
        dq_nodes.append(helper.make_node("DequantizeLinear", [init.name + "_q", init.name + "_scale", init.name + "_zero"],
                                         [init.name], name=init.name + "_dequantize", axis=axis))
        count, elements = count + 1, elements + w.size
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = dq_nodes + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    return count, elements


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model folder with onnx/model.onnx")
    p.add_argument("--bits", type=int, default=8, choices=[8], help="weight bits (8: model_quantized.onnx)")
    p.add_argument("--no-check", action="store_true", help="skip the onnxruntime-node check against PyTorch")
    args = p.parse_args(argv)
    src = os.path.join(args.model, "onnx", "model.onnx")
    if not os.path.exists(src):
        sys.exit(f"quantize: {src} not found (run export.py first)")
    dst = os.path.join(args.model, "onnx", "model_quantized.onnx")
    model = onnx.load(src)
    count, elements = quantize_model(model)
    if count == 0:
        sys.exit("quantize: no weights to quantize")
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    print(f"quantize: {count} weights ({elements:,} values) to int8: {os.path.getsize(src) / 1e6:.1f} MB -> "
          f"{os.path.getsize(dst) / 1e6:.1f} MB ({dst})", file=sys.stderr)
    if not args.no_check:
        check_against_fp32(args.model)


def check_against_fp32(folder: str) -> None:
    """The q8 graph must give the fp32 graph's logits (within quantization error) and exact cache behaviour."""
    import subprocess
    import tempfile
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        ref = os.path.join(tmp, "ref.json")
        subprocess.run(["node", os.path.join(here, "check_onnx.mjs"), "--reference-from",
                        os.path.join(folder, "onnx", "model.onnx"), ref], check=True)
        subprocess.run(["node", os.path.join(here, "check_onnx.mjs"), os.path.join(folder, "onnx", "model_quantized.onnx"),
                        ref, "0.05"], check=True)


if __name__ == "__main__":
    main()
