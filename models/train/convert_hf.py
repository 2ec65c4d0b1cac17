"""convert_hf: a Hugging Face Qwen2 checkpoint folder -> a nextedit model folder.

Reads config.json, *.safetensors (one file, or shards with model.safetensors.index.json;
F32, F16 or BF16) and the tokenizer files of a Qwen2-architecture decoder (Qwen2.5,
Qwen2.5-Coder, Sweep's next-edit models; Llama configs too) and writes the layout
export.py writes for our own students, so the worker loads it the same way:

  config.json              the source config + {"nextedit": {prompt_format, ...}}
                           (+ transformers.js_config.use_external_data_format if a file is > 2 GB)
  generation_config.json
  tokenizer files          copied as they are
  onnx/model.onnx          fp32 decoder with KV cache (transformers.js' names:
                           past_key_values.N.key/value in, logits + present.N.key/value out)
  onnx/model_quantized.onnx   q8: int8 weights, one scale per output channel (DequantizeLinear)
  onnx/model_q4.onnx          q4: 4-bit weights in blocks of 32 with a scale and zero point each
                              (com.microsoft MatMulNBits, which onnxruntime-web runs on WASM and
                              WebGPU); the embedding rows are read from the same 4-bit table

The graph is written here op by op (not traced from PyTorch), so the parity check
compares two independent computations: each ONNX file runs on onnxruntime-node
(run_onnx.mjs) over a prompt, a cached continuation and a step at earlier
positions, against model.py's PyTorch forward (load_hf) on the same weights -- the
dequantized weights for q8/q4 (bounds the arithmetic: any packing error shows),
and the fp32 weights (the quantization error, reported).

  /usr/bin/python3 models/train/convert_hf.py --checkpoint ~/hf/sweep-next-edit-0.5B \\
      --out models/sweep-next-edit-0.5b --format sweep@1
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import ARCHITECTURES, LlamaConfig, inv_freq  # noqa: E402
from quantize import quantize_int8  # noqa: E402
from safetensors_io import open_checkpoint  # noqa: E402

OPSET = 14
MS = "com.microsoft"
FILES = {"fp32": "model.onnx", "q8": "model_quantized.onnx", "q4": "model_q4.onnx"}
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "vocab.json", "merges.txt", "added_tokens.json")
# Past this many bytes of weights a file keeps them outside the graph (protobuf stops at 2 GiB),
# in chunks a browser can fetch into one ArrayBuffer each.
INLINE_LIMIT = 1_800_000_000
CHUNK_BYTES = 1 << 30
BLOCK = 32
ROW_CHUNK = 4096
# Tokens a format needs as single tokens of the tokenizer (its markers and stop tokens).
FORMAT_TOKENS = {"sweep": ["<|file_sep|>", "<|endoftext|>"]}
# core's built-in prompt formats (packages/core/src/prompt/registry.ts); a host may register more.
KNOWN_FORMATS = ("native@1", "native@2", "zeta1@1", "sweep@1")
# Parity bounds: max |logit - reference| / max |reference logit|.
EXACT = 1e-3       # the ONNX file vs PyTorch on the same (dequantized) weights
LOSS = {"q8": 0.05, "q4": 0.3}  # quantized file vs the fp32 weights (a sanity bound; the numbers are reported)


# ---------------------------------------------------------------- quantization

def quantize_q4(w: np.ndarray, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Asymmetric 4-bit blocks along each row (MatMulNBits' layout for a [N, K] weight):
    B uint8 [N, blocks, block/2] (element 2j in the low nibble), scales float32 [N * blocks],
    zero points uint8 [N * ceil(blocks/2)] (two per byte, low nibble first)."""
    n, k = w.shape
    nb = -(-k // block)
    packed = np.empty((n, nb, block // 2), np.uint8)
    scales = np.empty((n, nb), np.float32)
    zeros = np.zeros((n, nb + nb % 2), np.uint8)
    for r in range(0, n, ROW_CHUNK):
        rows = np.asarray(w[r:r + ROW_CHUNK], dtype=np.float32)
        if nb * block != k:
            rows = np.pad(rows, ((0, 0), (0, nb * block - k)))
        b = rows.reshape(len(rows), nb, block)
        lo, hi = np.minimum(b.min(-1), 0), np.maximum(b.max(-1), 0)
        s = ((hi - lo) / 15).astype(np.float32)
        s[s == 0] = 1
        z = np.clip(np.round(-lo / s), 0, 15)
        q = np.clip(np.round(b / s[..., None]) + z[..., None], 0, 15).astype(np.uint8)
        packed[r:r + len(rows)] = q[..., 0::2] | (q[..., 1::2] << 4)
        scales[r:r + len(rows)] = s
        zeros[r:r + len(rows), :nb] = z
    return packed, scales.reshape(-1), (zeros[:, 0::2] | (zeros[:, 1::2] << 4)).reshape(-1)


def dequantize_q4(packed: np.ndarray, scales: np.ndarray, zeros: np.ndarray, k: int) -> np.ndarray:
    n, nb, half = packed.shape
    q = np.empty((n, nb, half * 2), np.float32)
    q[..., 0::2] = packed & 15
    q[..., 1::2] = packed >> 4
    z = np.empty((n, nb + nb % 2), np.float32)
    zb = zeros.reshape(n, -1)
    z[:, 0::2] = zb & 15
    z[:, 1::2] = zb >> 4
    w = (q - z[:, :nb, None]) * scales.reshape(n, nb)[..., None]
    return w.reshape(n, -1)[:, :k]


def round_trip(w: np.ndarray, dtype: str, block: int = BLOCK) -> np.ndarray:
    """`w` [out, in] as the `dtype` file computes with it: q8 scales per row (output channel), q4 blocks along rows."""
    if dtype == "fp32":
        return np.asarray(w, np.float32)
    if dtype == "q8":
        q, s = quantize_int8(np.asarray(w, np.float32), axis=0)  # per output row = per output channel
        return q.astype(np.float32) * s[:, None]
    return dequantize_q4(*quantize_q4(w, block), k=w.shape[1])


class Dequantized(Mapping):
    """The checkpoint's tensors as the `dtype` graph computes with them, made when read (2-D weights
    through their quantization, the rest as they are)."""

    def __init__(self, weights: Mapping[str, np.ndarray], dtype: str, block: int = BLOCK):
        self.weights, self.dtype, self.block = weights, dtype, block

    def __getitem__(self, name: str) -> np.ndarray:
        w = self.weights[name]
        return round_trip(w, self.dtype, self.block) if w.ndim == 2 else np.asarray(w, np.float32)

    def __iter__(self):
        return iter(self.weights)

    def __len__(self) -> int:
        return len(self.weights)


def dequantized(weights: Mapping[str, np.ndarray], dtype: str, block: int = BLOCK) -> Mapping[str, np.ndarray]:
    return Dequantized(weights, dtype, block)


# ---------------------------------------------------------------- graph

class Graph:
    """Nodes and initializers in the order they are made; initializers stay numpy until saved."""

    def __init__(self):
        self.nodes: list[onnx.NodeProto] = []
        self.inits: dict[str, np.ndarray] = {}
        self._n = 0
        self._consts: dict[tuple, str] = {}

    def init(self, name: str, a: np.ndarray) -> str:
        if name in self.inits:
            raise ValueError(f"initializer {name} written twice")
        self.inits[name] = np.ascontiguousarray(a)
        return name

    def const(self, values, dtype=np.int64) -> str:
        a = np.asarray(values, dtype=dtype)
        key = (a.dtype.str, a.shape, a.tobytes())
        if key not in self._consts:
            self._consts[key] = self.init(f"const_{len(self._consts)}", a)
        return self._consts[key]

    def op(self, op_type: str, *inputs: str, out: str | None = None, domain: str | None = None, **attrs) -> str:
        self._n += 1
        name = out or f"{op_type.lower()}_{self._n}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [name], name=f"n{self._n}_{op_type}",
                                           domain=domain, **attrs))
        return name


class Table:
    """A [rows, hidden] matrix (the embedding, or an untied lm_head) encoded for one dtype."""

    def __init__(self, g: Graph, name: str, w: np.ndarray, dtype: str, block: int):
        self.dtype, self.rows, self.cols, self.block = dtype, w.shape[0], w.shape[1], block
        if dtype == "fp32":
            self.w = g.init(name, np.asarray(w, np.float32))
        elif dtype == "q8":
            q, s = quantize_int8(np.asarray(w, np.float32), axis=0)
            self.q, self.s = g.init(name + "_q", q), g.init(name + "_scale", s)
            self.name = name
        else:
            packed, scales, zeros = quantize_q4(w, block)
            self.nb = packed.shape[1]
            self.q = g.init(name + "_q4", packed)
            self.s = g.init(name + "_scales", scales)
            self.zero = g.init(name + "_zeros", zeros)

    def embed(self, g: Graph, ids: str) -> str:
        """Rows for `ids` [B, T] -> [B, T, hidden]; quantized tables dequantize only the rows read."""
        if self.dtype == "fp32":
            return g.op("Gather", self.w, ids)
        if self.dtype == "q8":
            rows = g.op("Cast", g.op("Gather", self.q, ids), to=TensorProto.FLOAT)
            return g.op("Mul", rows, g.op("Unsqueeze", g.op("Gather", self.s, ids), g.const([-1])))
        q = unpack_nibbles(g, g.op("Gather", self.q, ids), rank=4)                       # [B, T, nb, block]
        zrows = g.op("Gather", g.op("Reshape", self.zero, g.const([self.rows, -1])), ids)  # [B, T, ceil(nb/2)]
        z = g.op("Slice", unpack_nibbles(g, zrows, rank=3), g.const([0]), g.const([self.nb]), g.const([-1]))
        s = g.op("Gather", g.op("Reshape", self.s, g.const([self.rows, self.nb])), ids)     # [B, T, nb]
        last = g.const([-1])
        w = g.op("Mul", g.op("Sub", q, g.op("Unsqueeze", z, last)), g.op("Unsqueeze", s, last))
        w = g.op("Reshape", w, g.const([0, 0, self.nb * self.block]))
        if self.nb * self.block != self.cols:
            w = g.op("Slice", w, g.const([0]), g.const([self.cols]), g.const([-1]))
        return w

    def project(self, g: Graph, x: str, out: str) -> str:
        """x [B, T, hidden] times the table's transpose -> [B, T, rows] (the lm_head)."""
        if self.dtype == "q4":
            return g.op("MatMulNBits", x, self.q, self.s, self.zero, out=out, domain=MS,
                        K=self.cols, N=self.rows, bits=4, block_size=self.block)
        if self.dtype == "fp32":
            w = self.w
        else:
            zero = g.init(self.name + "_zero", np.zeros(self.rows, np.int8))
            w = g.op("DequantizeLinear", self.q, self.s, zero, axis=0)
        flat = g.op("Reshape", x, g.const([-1, self.cols]))
        y = g.op("Gemm", flat, w, transB=1)
        lead = g.op("Slice", g.op("Shape", x), g.const([0]), g.const([2]), g.const([0]))
        return g.op("Reshape", y, g.op("Concat", lead, g.const([self.rows]), axis=0), out=out)


def unpack_nibbles(g: Graph, u8: str, rank: int) -> str:
    """uint8 [..., m] -> float [..., 2m]: each byte's low nibble, then its high one."""
    x = g.op("Cast", u8, to=TensorProto.FLOAT)
    hi = g.op("Floor", g.op("Div", x, g.const(16.0, np.float32)))
    lo = g.op("Sub", x, g.op("Mul", hi, g.const(16.0, np.float32)))
    last = g.const([-1])
    pair = g.op("Concat", g.op("Unsqueeze", lo, last), g.op("Unsqueeze", hi, last), axis=-1)
    return g.op("Reshape", pair, g.const([0] * (rank - 1) + [-1]))


def linear(g: Graph, x: str, weights: Mapping[str, np.ndarray], name: str, dtype: str, block: int) -> str:
    """x @ W^T (+ b) for the Hugging Face Linear `name` (weight [out, in])."""
    w = np.asarray(weights[name + ".weight"], np.float32)
    n, k = w.shape
    if dtype == "fp32":
        y = g.op("MatMul", x, g.init(name + ".weight", np.ascontiguousarray(w.T)))
    elif dtype == "q8":
        q, s = quantize_int8(np.ascontiguousarray(w.T), axis=1)
        wq = g.op("DequantizeLinear", g.init(name + ".weight_q", q), g.init(name + ".weight_scale", s),
                  g.init(name + ".weight_zero", np.zeros_like(s, dtype=np.int8)), axis=1)
        y = g.op("MatMul", x, wq)
    else:
        packed, scales, zeros = quantize_q4(w, block)
        y = g.op("MatMulNBits", x, g.init(name + ".weight_q4", packed), g.init(name + ".weight_scales", scales),
                 g.init(name + ".weight_zeros", zeros), domain=MS, K=k, N=n, bits=4, block_size=block)
    if name + ".bias" in weights:
        y = g.op("Add", y, g.init(name + ".bias", np.asarray(weights[name + ".bias"], np.float32)))
    return y


def rms_norm(g: Graph, x: str, weight: np.ndarray, name: str, eps: float) -> str:
    ms = g.op("ReduceMean", g.op("Mul", x, x), axes=[-1], keepdims=1)
    normed = g.op("Div", x, g.op("Sqrt", g.op("Add", ms, g.const(eps, np.float32))))
    return g.op("Mul", normed, g.init(name, np.asarray(weight, np.float32)))


def rotate(g: Graph, x: str, cos: str, sin: str, half: int) -> str:
    """x * cos + rotate_half(x) * sin (Hugging Face's half-split rotary)."""
    x1 = g.op("Slice", x, g.const([0]), g.const([half]), g.const([-1]))
    x2 = g.op("Slice", x, g.const([half]), g.const([2 * half]), g.const([-1]))
    rotated = g.op("Concat", g.op("Neg", x2), x1, axis=-1)
    return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rotated, sin))


def build_graph(c: LlamaConfig, weights: Mapping[str, np.ndarray], dtype: str, block: int = BLOCK) -> Graph:
    g = Graph()
    h, kv, d = c.num_attention_heads, c.num_key_value_heads, c.head_dim
    rep = h // kv
    one = g.const([1])

    # Causal over cache slots (a query sees slots at or before its own), padding masked.
    seq = g.op("Gather", g.op("Shape", "input_ids"), g.const(1))
    total = g.op("Gather", g.op("Shape", "attention_mask"), g.const(1))
    slots = g.op("Range", g.const(0), total, g.const(1))
    queries = g.op("Range", g.op("Sub", total, seq), total, g.const(1))
    causal = g.op("LessOrEqual", g.op("Unsqueeze", slots, g.const([0])), g.op("Unsqueeze", queries, one))
    padding = g.op("Unsqueeze", g.op("Cast", "attention_mask", to=TensorProto.BOOL), g.const([1, 2]))
    allowed = g.op("And", g.op("Unsqueeze", causal, g.const([0, 1])), padding)                  # [B, 1, T, S]
    mask = g.op("Where", allowed, g.const(0.0, np.float32), g.const(-1e9, np.float32))
    mask5 = g.op("Unsqueeze", mask, one)                                                          # [B, 1, 1, T, S]

    # Rotary angles from the given positions (any layout the runtime feeds).
    pos = g.op("Unsqueeze", g.op("Cast", "position_ids", to=TensorProto.FLOAT), g.const([2]))
    freqs = g.op("Mul", pos, g.init("rotary.inv_freq", inv_freq(d, c.rope_theta)))
    angles = g.op("Concat", freqs, freqs, axis=-1)                                                # [B, T, D]
    cos, sin = g.op("Cos", angles), g.op("Sin", angles)
    cos4, sin4 = g.op("Unsqueeze", cos, one), g.op("Unsqueeze", sin, one)                         # [B, 1, T, D]
    cos5, sin5 = g.op("Unsqueeze", cos, g.const([1, 2])), g.op("Unsqueeze", sin, g.const([1, 2]))

    tied = c.tie_word_embeddings
    table = Table(g, "model.embed_tokens.weight", weights["model.embed_tokens.weight"], dtype, block)
    x = table.embed(g, "input_ids")
    scale = g.const(1.0 / np.sqrt(d), np.float32)
    for i in range(c.num_hidden_layers):
        p = f"model.layers.{i}."
        a = rms_norm(g, x, weights[p + "input_layernorm.weight"], p + "input_layernorm.weight", c.rms_norm_eps)
        # Queries grouped by their key/value head: [B, kv, rep, T, D]; keys and values [B, kv, T, D].
        q = g.op("Reshape", linear(g, a, weights, p + "self_attn.q_proj", dtype, block), g.const([0, 0, kv, rep, d]))
        q = g.op("Mul", rotate(g, g.op("Transpose", q, perm=[0, 2, 3, 1, 4]), cos5, sin5, d // 2), scale)
        k = g.op("Reshape", linear(g, a, weights, p + "self_attn.k_proj", dtype, block), g.const([0, 0, kv, d]))
        k = rotate(g, g.op("Transpose", k, perm=[0, 2, 1, 3]), cos4, sin4, d // 2)
        v = g.op("Reshape", linear(g, a, weights, p + "self_attn.v_proj", dtype, block), g.const([0, 0, kv, d]))
        v = g.op("Transpose", v, perm=[0, 2, 1, 3])
        k = g.op("Concat", f"past_key_values.{i}.key", k, axis=2, out=f"present.{i}.key")
        v = g.op("Concat", f"past_key_values.{i}.value", v, axis=2, out=f"present.{i}.value")
        keys = g.op("Unsqueeze", g.op("Transpose", k, perm=[0, 1, 3, 2]), g.const([2]))          # [B, kv, 1, D, S]
        probs = g.op("Softmax", g.op("Add", g.op("MatMul", q, keys), mask5), axis=-1)
        att = g.op("MatMul", probs, g.op("Unsqueeze", v, g.const([2])))                           # [B, kv, rep, T, D]
        att = g.op("Reshape", g.op("Transpose", att, perm=[0, 3, 1, 2, 4]), g.const([0, 0, h * d]))
        x = g.op("Add", x, linear(g, att, weights, p + "self_attn.o_proj", dtype, block))
        m = rms_norm(g, x, weights[p + "post_attention_layernorm.weight"], p + "post_attention_layernorm.weight",
                     c.rms_norm_eps)
        gate = linear(g, m, weights, p + "mlp.gate_proj", dtype, block)
        up = linear(g, m, weights, p + "mlp.up_proj", dtype, block)
        act = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up)
        x = g.op("Add", x, linear(g, act, weights, p + "mlp.down_proj", dtype, block))
    x = rms_norm(g, x, weights["model.norm.weight"], "model.norm.weight", c.rms_norm_eps)
    head = table if tied else Table(g, "lm_head.weight", weights["lm_head.weight"], dtype, block)
    head.project(g, x, out="logits")
    return g


def io_infos(c: LlamaConfig) -> tuple[list, list]:
    kv, d = c.num_key_value_heads, c.head_dim
    info = helper.make_tensor_value_info
    inputs = [info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
              info("attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]),
              info("position_ids", TensorProto.INT64, ["batch_size", "sequence_length"])]
    outputs = [info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", c.vocab_size])]
    for i in range(c.num_hidden_layers):
        for n in ("key", "value"):
            inputs.append(info(f"past_key_values.{i}.{n}", TensorProto.FLOAT, ["batch_size", kv, "past_sequence_length", d]))
            outputs.append(info(f"present.{i}.{n}", TensorProto.FLOAT, ["batch_size", kv, "total_sequence_length", d]))
    return inputs, outputs


def save_graph(g: Graph, c: LlamaConfig, path: str) -> int:
    """Write the model; returns how many external data chunks it has (0: weights inside the file)."""
    inputs, outputs = io_infos(c)
    total = sum(a.nbytes for a in g.inits.values())
    base = os.path.basename(path)
    folder = os.path.dirname(path)
    for old in os.listdir(folder):  # an earlier conversion's chunks would be counted (and fetched)
        if old == base or old.startswith(base + "_data"):
            os.remove(os.path.join(folder, old))
    inits, chunks = [], 0
    if total <= INLINE_LIMIT:
        inits = [numpy_helper.from_array(a, name) for name, a in g.inits.items()]
    else:
        # Chunks named as transformers.js fetches them: model.onnx_data, model.onnx_data_1, ...
        f, used = None, 0
        for name, a in g.inits.items():
            if a.nbytes < 1024:
                inits.append(numpy_helper.from_array(a, name))
                continue
            if f is None or (used and used + a.nbytes > CHUNK_BYTES):
                if f:
                    f.close()
                location = f"{base}_data" + (f"_{chunks}" if chunks else "")
                f, used, chunks = open(os.path.join(folder, location), "wb"), 0, chunks + 1
            pad = -used % 4096
            f.write(b"\0" * pad)
            used += pad
            t = TensorProto(name=name, dims=a.shape, data_type=onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype])
            t.data_location = TensorProto.EXTERNAL
            for key, value in (("location", location), ("offset", str(used)), ("length", str(a.nbytes))):
                t.external_data.add(key=key, value=value)
            f.write(a.tobytes())
            used += a.nbytes
            inits.append(t)
        f.close()
    graph = helper.make_graph(g.nodes, "decoder", inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS, 1)],
                              producer_name="nextedit convert_hf.py")
    model.ir_version = 8
    onnx.save(model, path)
    onnx.checker.check_model(path)
    return chunks


def shapes(c: LlamaConfig) -> dict[str, tuple[int, ...]]:
    """Every weight the graph stores, by Hugging Face name (the tied lm_head is the embedding)."""
    h, d, inter = c.hidden_size, c.head_dim, c.intermediate_size
    q, kv = c.num_attention_heads * d, c.num_key_value_heads * d
    out = {"model.embed_tokens.weight": (c.vocab_size, h), "model.norm.weight": (h,)}
    if not c.tie_word_embeddings:
        out["lm_head.weight"] = (c.vocab_size, h)
    for i in range(c.num_hidden_layers):
        p = f"model.layers.{i}."
        out |= {p + "input_layernorm.weight": (h,), p + "post_attention_layernorm.weight": (h,),
                p + "self_attn.q_proj.weight": (q, h), p + "self_attn.k_proj.weight": (kv, h),
                p + "self_attn.v_proj.weight": (kv, h), p + "self_attn.o_proj.weight": (h, q),
                p + "mlp.gate_proj.weight": (inter, h), p + "mlp.up_proj.weight": (inter, h),
                p + "mlp.down_proj.weight": (h, inter)}
        if c.qkv_bias:
            out |= {p + "self_attn.q_proj.bias": (q,), p + "self_attn.k_proj.bias": (kv,), p + "self_attn.v_proj.bias": (kv,)}
        if c.o_bias:
            out[p + "self_attn.o_proj.bias"] = (h,)
    return out


def estimate_bytes(c: LlamaConfig, dtype: str, block: int = BLOCK) -> int:
    """Weight bytes of the `dtype` file, from the config alone (the graph itself adds a few kB per layer)."""
    total = 0
    for shape in shapes(c).values():
        if len(shape) == 1 or dtype == "fp32":
            total += 4 * int(np.prod(shape))
        elif dtype == "q8":
            total += shape[0] * shape[1] + 5 * shape[0]
        else:
            nb = -(-shape[1] // block)
            total += shape[0] * (nb * block // 2 + 4 * nb + -(-nb // 2))
    return total


# ---------------------------------------------------------------- checkpoint and folder

def read_checkpoint(folder: str) -> tuple[dict, LlamaConfig, Mapping[str, np.ndarray]]:
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        hf = json.load(f)
    c = LlamaConfig.from_hf(hf)
    weights = open_checkpoint(folder)
    # Every tensor the graph needs, at the shape the config gives (a tied checkpoint's own lm_head.weight is not read).
    missing = [n for n in shapes(c) if n not in weights]
    if missing:
        raise ValueError(f"{folder}: the checkpoint lacks {missing[:4]}{' ...' if len(missing) > 4 else ''}")
    wrong = [f"{n} {weights.file_of(n).shape(n)} (config: {s})" for n, s in shapes(c).items() if weights.file_of(n).shape(n) != s]
    if wrong:
        raise ValueError(f"{folder}: tensors do not match config.json: {wrong[:4]}")
    return hf, c, weights


def megabytes(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n < 1e7 else f"{n / 1e6:.0f} MB"


def file_bytes(onnx_dir: str, file: str) -> int:
    return sum(os.path.getsize(os.path.join(onnx_dir, f)) for f in os.listdir(onnx_dir)
               if f == file or f.startswith(file + "_data"))


def check_format_tokens(folder: str, fmt: str) -> None:
    name = fmt.partition("@")[0]
    need = FORMAT_TOKENS.get(name, [])
    path = os.path.join(folder, "tokenizer.json")
    if not need or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        have = {t["content"] for t in json.load(f).get("added_tokens", [])}
    missing = [t for t in need if t not in have]
    if missing:
        raise ValueError(f"{path}: the {fmt} prompt needs {missing} as single tokens; this tokenizer lacks them")


def convert(src: str, out: str, fmt: str, dtypes: list[str], block: int = BLOCK, nextedit_extra: dict | None = None,
            log=print) -> dict:
    """Write the model folder; returns {dtype: bytes}."""
    hf, c, weights = read_checkpoint(src)
    check_format_tokens(src, fmt)
    if (fmt if "@" in fmt else fmt + "@1") not in KNOWN_FORMATS:
        log(f"convert_hf: warning: {fmt} is not a built-in prompt format ({', '.join(KNOWN_FORMATS)})")
    onnx_dir = os.path.join(out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    sizes, external = {}, {}
    for dtype in dtypes:
        g = build_graph(c, weights, dtype, block)
        chunks = save_graph(g, c, os.path.join(onnx_dir, FILES[dtype]))
        if chunks:
            external[FILES[dtype]] = chunks
        sizes[dtype] = file_bytes(onnx_dir, FILES[dtype])
        log(f"convert_hf: {dtype}: onnx/{FILES[dtype]} {megabytes(sizes[dtype])}"
            + (f" ({chunks} external data file{'s' * (chunks > 1)})" if chunks else ""))
        del g
    name, _, version = fmt.partition("@")
    nextedit = {"prompt_format": name}
    if version and version != "1":
        nextedit["prompt_format_version"] = int(version)
    nextedit["converted"] = {"from": os.path.basename(os.path.abspath(src)), "architecture": ARCHITECTURES[c.model_type],
                             "params": int(sum(np.prod(weights.file_of(n).shape(n)) for n in weights)),
                             "q4_block_size": block}
    nextedit.update(nextedit_extra or {})
    cfg = {**hf, "use_cache": True, "nextedit": nextedit}
    cfg.setdefault("architectures", [ARCHITECTURES[c.model_type]])
    if external:
        cfg["transformers.js_config"] = {**hf.get("transformers.js_config", {}), "use_external_data_format": external}
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    gen = os.path.join(src, "generation_config.json")
    if os.path.exists(gen):
        shutil.copyfile(gen, os.path.join(out, "generation_config.json"))
    else:
        with open(os.path.join(out, "generation_config.json"), "w", encoding="utf-8") as f:
            json.dump({k: hf[k] for k in ("bos_token_id", "eos_token_id", "pad_token_id") if k in hf} | {"do_sample": False},
                      f, indent=2)
            f.write("\n")
    copied = [t for t in TOKENIZER_FILES if os.path.exists(os.path.join(src, t))]
    for t in copied:
        shutil.copyfile(os.path.join(src, t), os.path.join(out, t))
    if "tokenizer.json" not in copied:
        log(f"convert_hf: warning: {src} has no tokenizer.json (transformers.js needs it)")
    return sizes


# ---------------------------------------------------------------- parity

def check_steps(vocab: int, n: int = 24, seed: int = 0) -> list[dict]:
    """A prompt, a cached continuation, and a step placed at earlier positions (aligned layouts do that)."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, vocab, n + 3).tolist()
    head = n * 2 // 3
    return [{"input_ids": ids[:head], "position_ids": list(range(head))},
            {"input_ids": ids[head:n], "position_ids": list(range(head, n))},
            {"input_ids": ids[n:], "position_ids": [head - 2, head - 1, head]}]


def reference_logits(config: dict, weights: Mapping[str, np.ndarray], steps: list[dict]) -> list[np.ndarray]:
    """model.py's logits for each step (the decoder built from the checkpoint), its own cache carried between them."""
    import torch
    from model import load_hf
    model = load_hf(config, weights)
    past, out = None, []
    with torch.no_grad():
        for s in steps:
            ids = torch.tensor([s["input_ids"]])
            logits, past = model(ids, position_ids=torch.tensor([s["position_ids"]]), past=past)
            out.append(logits[0].numpy())
    return out


def onnx_logits(models: dict[str, str], c: LlamaConfig, steps: list[dict], optimization: str | None = None
                ) -> dict[str, list[np.ndarray]]:
    """Each model's logits per step, from onnxruntime-node (`optimization`: its graph optimization level)."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = [{"model": path, "out": os.path.join(tmp, key), "layers": c.num_hidden_layers,
                 "kv_heads": c.num_key_value_heads, "head_dim": c.head_dim, "steps": steps,
                 **({"optimization": optimization} if optimization else {})} for key, path in models.items()]
        job = os.path.join(tmp, "job.json")
        with open(job, "w") as f:
            json.dump({"runs": runs}, f)
        subprocess.run(["node", os.path.join(HERE, "run_onnx.mjs"), job], check=True)
        result = {}
        for key in models:
            with open(os.path.join(tmp, key) + ".json") as f:
                meta = json.load(f)
            result[key] = [np.fromfile(os.path.join(tmp, f"{key}.{i}.f32"), dtype="<f4").reshape(s["rows"], meta["vocab"])
                           for i, s in enumerate(meta["steps"])]
        return result


def relative_error(got: list[np.ndarray], want: list[np.ndarray]) -> float:
    scale = max(float(np.abs(w).max()) for w in want) or 1.0
    return max(float(np.abs(g - w).max()) for g, w in zip(got, want)) / scale


def top1_agreement(got: list[np.ndarray], want: list[np.ndarray]) -> float:
    a = np.concatenate([g.argmax(-1) for g in got])
    b = np.concatenate([w.argmax(-1) for w in want])
    return float((a == b).mean())


def parity(out: str, src: str, dtypes: list[str], block: int = BLOCK, n: int = 24, log=print) -> dict:
    """Compare each converted file with PyTorch; raises when one is off its bounds. Returns the numbers.

    `exact`: the file with onnxruntime's basic optimizations (the graph as written) against
    PyTorch on the weights the file holds (dequantized for q8/q4): any error in the graph or
    the packing shows here. `runtime`: the same with all optimizations, as the worker runs it
    (onnxruntime's CPU turns int8 DequantizeLinear + MatMul into an int8 matmul over
    dynamically quantized activations, so q8 is only close there). `vs_fp32` and `top1_vs_fp32`:
    the quantization error against the original weights, as run.
    """
    hf, c, weights = read_checkpoint(src)
    steps = check_steps(c.vocab_size, n)
    models = {dt: os.path.join(out, "onnx", FILES[dt]) for dt in dtypes}
    graph = onnx_logits(models, c, steps, optimization="basic")
    run = onnx_logits(models, c, steps)
    fp32 = reference_logits(hf, weights, steps)
    report, failed = {}, []
    for dt in dtypes:
        same = fp32 if dt == "fp32" else reference_logits(hf, dequantized(weights, dt, block), steps)
        r = {"exact": relative_error(graph[dt], same), "runtime": relative_error(run[dt], same)}
        if dt != "fp32":
            r["vs_fp32"] = relative_error(run[dt], fp32)
            r["top1_vs_fp32"] = top1_agreement(run[dt], fp32)
        report[dt] = r
        log(f"convert_hf: parity {dt}: max |logit - PyTorch| / max |logit| on the file's own weights "
            f"{r['exact']:.1e} (as written), {r['runtime']:.1e} (as run)"
            + (f"; vs the fp32 weights {r['vs_fp32']:.3f}, top-1 agrees {r['top1_vs_fp32']:.0%}" if dt != "fp32" else ""))
        if r["exact"] > EXACT or r["runtime"] > (EXACT if dt != "q8" else LOSS["q8"]) or r.get("vs_fp32", 0) > LOSS.get(dt, 1):
            failed.append(dt)
    if failed:
        raise RuntimeError(f"convert_hf: parity check failed for {', '.join(failed)}: {report}")
    return report


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True, help="Hugging Face folder: config.json, *.safetensors, tokenizer files")
    p.add_argument("--out", help="model folder to write")
    p.add_argument("--format", help="prompt format the model was trained on, name@version (e.g. sweep@1, zeta1@1)")
    p.add_argument("--estimate", action="store_true", help="print the file sizes the dtypes would have (needs only config.json)")
    p.add_argument("--dtypes", default="fp32,q8,q4", help="files to write, comma-separated: fp32, q8, q4")
    p.add_argument("--block-size", type=int, default=BLOCK, help="q4 block size (a power of two, at least 16)")
    p.add_argument("--budget-json", help='nextedit.budget, e.g. \'{"region":512,"history":512}\'')
    p.add_argument("--min-confidence", type=float, help="nextedit.min_confidence (calibrate on held-out cases)")
    p.add_argument("--no-check", action="store_true", help="skip the onnxruntime-node parity check against PyTorch")
    args = p.parse_args(argv)
    dtypes = [d.strip() for d in args.dtypes.split(",") if d.strip()]
    unknown = [d for d in dtypes if d not in FILES]
    if unknown:
        p.error(f"unknown dtypes {unknown} (known: {', '.join(FILES)})")
    if args.block_size < 16 or args.block_size & (args.block_size - 1):
        p.error("--block-size must be a power of two, at least 16")
    if args.estimate:
        with open(os.path.join(args.checkpoint, "config.json"), encoding="utf-8") as f:
            c = LlamaConfig.from_hf(json.load(f))
        params = sum(int(np.prod(s)) for s in shapes(c).values())
        print(f"convert_hf: {params / 1e6:.1f}M parameters" + (" (embedding tied)" if c.tie_word_embeddings else ""))
        for dt in dtypes:
            print(f"convert_hf: {dt}: about {megabytes(estimate_bytes(c, dt, args.block_size))}")
        return
    if not args.out or not args.format:
        p.error("--out and --format are required (unless --estimate)")
    extra = {}
    if args.budget_json:
        extra["budget"] = json.loads(args.budget_json)
    if args.min_confidence is not None:
        extra["min_confidence"] = args.min_confidence
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    convert(args.checkpoint, args.out, args.format, dtypes, args.block_size, extra, log=log)
    if not args.no_check:
        parity(args.out, args.checkpoint, dtypes, args.block_size, log=log)


if __name__ == "__main__":
    main()
