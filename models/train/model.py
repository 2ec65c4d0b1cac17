"""The one decoder: Llama's architecture (RMSNorm, rotary, SwiGLU, grouped-query
attention), for our students and for Hugging Face Qwen2 / Llama checkpoints.

Our students: `LlamaForCausalLM(LlamaConfig(...))`, trained here, exported to
ONNX by export.py. Qwen2 (Qwen2.5, Qwen2.5-Coder, Sweep's next-edit models) is
Llama with a bias on the q/k/v projections (`attention_bias`), a larger rotary
theta and often an untied lm_head; `load_hf` builds this decoder from a
checkpoint's config.json and tensors (Hugging Face's names, `model.` prefixed),
for convert_hf.py's parity check.

Written for torch 1.13 (Debian): no scaled_dot_product_attention, and the
grouped-query heads are widened with expand+reshape (repeat_interleave does not
export to ONNX there). Weight names follow Hugging Face's LlamaForCausalLM so
the config.json next to the ONNX files is an ordinary `llama` config.

Attention is causal over cache slots (a query sees the keys at or before its own
slot) with `attention_mask` masking padding, whatever the position ids are: the
runtime feeds aligned positions to some models (core/prompt/positions.ts).
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from special_tokens import EOS, PAD


@dataclass
class LlamaConfig:
    vocab_size: int = 4096
    hidden_size: int = 256
    intermediate_size: int = 704
    num_hidden_layers: int = 6
    num_attention_heads: int = 8
    num_key_value_heads: int = 2
    max_position_embeddings: int = 2048
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    tie_word_embeddings: bool = True
    # Hugging Face checkpoints (load_hf): Qwen2 biases q/k/v, never o; Llama's attention_bias all four.
    model_type: str = "llama"
    qkv_bias: bool = False
    o_bias: bool = False
    # 0: hidden_size / num_attention_heads (a config may name another).
    explicit_head_dim: int = 0

    @property
    def head_dim(self) -> int:
        return self.explicit_head_dim or self.hidden_size // self.num_attention_heads

    @classmethod
    def from_dict(cls, d: dict) -> "LlamaConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    @classmethod
    def from_hf(cls, d: Mapping) -> "LlamaConfig":
        """A Hugging Face config.json (qwen2 or llama); refuses what this decoder does not compute."""
        kind = d.get("model_type")
        if kind not in ARCHITECTURES:
            raise ValueError(f"model_type {kind!r} is not supported (supported: {', '.join(ARCHITECTURES)})")
        act = d.get("hidden_act", "silu")
        if act != "silu":
            raise ValueError(f"hidden_act {act!r} is not supported (only silu)")
        scaling = d.get("rope_scaling")
        if scaling and (scaling.get("rope_type") or scaling.get("type")) not in (None, "default"):
            raise ValueError(f"rope_scaling {scaling} is not supported (only the default rotary)")
        if d.get("use_sliding_window"):
            raise ValueError("use_sliding_window is true: sliding-window attention is not supported")
        if d.get("mlp_bias"):
            raise ValueError("mlp_bias is true: MLP biases are not supported")
        heads = d["num_attention_heads"]
        kv = d.get("num_key_value_heads") or heads
        if heads % kv:
            raise ValueError(f"{heads} attention heads do not split into {kv} key/value heads")
        bias = bool(d.get("attention_bias", False))
        head_dim = d.get("head_dim") or d["hidden_size"] // heads
        return cls(
            model_type=kind,
            vocab_size=d["vocab_size"],
            hidden_size=d["hidden_size"],
            intermediate_size=d["intermediate_size"],
            num_hidden_layers=d["num_hidden_layers"],
            num_attention_heads=heads,
            num_key_value_heads=kv,
            explicit_head_dim=0 if head_dim == d["hidden_size"] // heads else head_dim,
            rope_theta=float(d.get("rope_theta", 10000.0)),
            rms_norm_eps=float(d.get("rms_norm_eps", 1e-6)),
            tie_word_embeddings=bool(d.get("tie_word_embeddings", False)),
            qkv_bias=True if kind == "qwen2" else bias,
            o_bias=False if kind == "qwen2" else bias,
            max_position_embeddings=d.get("max_position_embeddings", 32768),
        )

    def to_dict(self) -> dict:
        return asdict(self)


# Hugging Face model types load_hf reads, and their architecture names.
ARCHITECTURES = {"qwen2": "Qwen2ForCausalLM", "llama": "LlamaForCausalLM"}


# Named sizes: the student, the draft for speculative decoding, and a tiny one for tests/smoke runs.
PRESETS = {
    # Sized for CPU training here (~1e14 FLOPs a session): compute-optimal is ~1-3M params.
    "student": LlamaConfig(hidden_size=192, intermediate_size=512, num_hidden_layers=5,
                           num_attention_heads=6, num_key_value_heads=2),
    "draft": LlamaConfig(hidden_size=96, intermediate_size=256, num_hidden_layers=2,
                         num_attention_heads=3, num_key_value_heads=1),
    "tiny": LlamaConfig(hidden_size=64, intermediate_size=176, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2),
}


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def inv_freq(head_dim: int, theta: float) -> np.ndarray:
    """Rotary inverse frequencies, float32 as Hugging Face computes them (convert_hf.py writes them into its graphs)."""
    return (1.0 / theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)).numpy()


def rotary(position_ids: torch.Tensor, head_dim: int, theta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """cos/sin [B, 1, T, head_dim] for absolute positions (Hugging Face's half-split layout)."""
    inv = 1.0 / theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    freqs = position_ids.to(torch.float32)[..., None] * inv
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos()[:, None], emb.sin()[:, None]


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([-x2, x1], dim=-1)


class Attention(nn.Module):
    def __init__(self, c: LlamaConfig):
        super().__init__()
        self.h, self.kv, self.hd = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.q_proj = nn.Linear(c.hidden_size, self.h * self.hd, bias=c.qkv_bias)
        self.k_proj = nn.Linear(c.hidden_size, self.kv * self.hd, bias=c.qkv_bias)
        self.v_proj = nn.Linear(c.hidden_size, self.kv * self.hd, bias=c.qkv_bias)
        self.o_proj = nn.Linear(self.h * self.hd, c.hidden_size, bias=c.o_bias)

    def forward(self, x, cos, sin, mask, past=None):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)
        s = k.shape[2]
        rep = self.h // self.kv
        k = k[:, :, None].expand(b, self.kv, rep, s, self.hd).reshape(b, self.h, s, self.hd)
        v = v[:, :, None].expand(b, self.kv, rep, s, self.hd).reshape(b, self.h, s, self.hd)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
        out = F.softmax(att, dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, t, self.h * self.hd)), present


class MLP(nn.Module):
    def __init__(self, c: LlamaConfig):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.up_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, c: LlamaConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, mask, past=None):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), present


class LlamaForCausalLM(nn.Module):
    def __init__(self, c: LlamaConfig, init: bool = True):
        super().__init__()
        self.config = c
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList(Block(c) for _ in range(c.num_hidden_layers))
        self.norm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.lm_head = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        if c.tie_word_embeddings:
            self.lm_head.weight = self.embed_tokens.weight
        if not init:  # weights loaded next (load_hf)
            return
        self.apply(self._init)
        # Scaled init of the residual projections (GPT-2) keeps deep stacks stable.
        for n, p in self.named_parameters():
            if n.endswith("o_proj.weight") or n.endswith("down_proj.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * c.num_hidden_layers))

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def load_hf_weights(self, tensors: Mapping[str, np.ndarray]) -> None:
        """Copy a Hugging Face checkpoint's tensors in (as float32; `model.layers.0...` is our `layers.0...`);
        every parameter must be there (lm_head not when tied)."""
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name == "lm_head.weight" and self.config.tie_word_embeddings:
                    continue
                hf = name if name == "lm_head.weight" else "model." + name
                if hf not in tensors:
                    raise KeyError(f"checkpoint has no {hf}")
                w = np.asarray(tensors[hf], dtype=np.float32)
                if tuple(w.shape) != tuple(p.shape):
                    raise ValueError(f"{hf}: checkpoint shape {tuple(w.shape)}, model wants {tuple(p.shape)}")
                p.copy_(torch.from_numpy(np.ascontiguousarray(w)))

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        x, presents = self.hidden_states(input_ids, attention_mask, position_ids, past)
        return self.lm_head(x), presents

    def hidden_states(self, input_ids, attention_mask=None, position_ids=None, past=None):
        """logits [B, T, V] and the new cache: per layer (key, value) [B, kv_heads, past+T, head_dim].

        `attention_mask` [B, past+T] (1 = real token) masks padding; queries
        also never see later keys (causal over absolute positions).
        """
        b, t = input_ids.shape
        past_len = past[0][0].shape[2] if past is not None else 0
        if attention_mask is None:
            attention_mask = torch.ones(b, past_len + t, dtype=torch.long)
        if position_ids is None:
            position_ids = (torch.arange(t) + past_len)[None].expand(b, t)
        s = attention_mask.shape[1]
        q_pos = torch.arange(t)[:, None] + (s - t)
        allowed = (torch.arange(s)[None, :] <= q_pos)[None, None] & attention_mask[:, None, None, :].bool()
        mask = torch.zeros(allowed.shape, dtype=torch.float32).masked_fill(~allowed, -1e9)
        cos, sin = rotary(position_ids, self.config.head_dim, self.config.rope_theta)
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            x, present = layer(x, cos, sin, mask, past[i] if past is not None else None)
            presents.append(present)
        return self.norm(x), presents


def hf_config(c: LlamaConfig, extra: dict | None = None) -> dict:
    """config.json for transformers.js (model_type llama) plus nextedit's own keys."""
    own = {k: v for k, v in c.to_dict().items() if k not in ("model_type", "qkv_bias", "o_bias", "explicit_head_dim")}
    d = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        **own,
        "head_dim": c.head_dim,
        "hidden_act": "silu",
        "attention_bias": False,
        "bos_token_id": None,
        "eos_token_id": EOS,
        "pad_token_id": PAD,
        "torch_dtype": "float32",
        "use_cache": True,
    }
    if extra:
        d.update(extra)
    return d


def load_hf(config: Mapping, tensors: Mapping[str, np.ndarray]) -> LlamaForCausalLM:
    """The decoder of a Hugging Face Qwen2 / Llama checkpoint (its config.json and tensors), in eval mode."""
    model = LlamaForCausalLM(LlamaConfig.from_hf(config), init=False)
    model.load_hf_weights(tensors)
    return model.eval()


def load_checkpoint(path: str) -> tuple[LlamaForCausalLM, dict]:
    ck = torch.load(path, map_location="cpu")
    model = LlamaForCausalLM(LlamaConfig.from_dict(ck["config"]))
    model.load_state_dict(ck["model"])
    return model, ck


def save_json(path: str, obj: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
