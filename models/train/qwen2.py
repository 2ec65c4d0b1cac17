"""A reference Qwen2 decoder in PyTorch, for convert_hf.py's parity check.

Qwen2 (Qwen2.5, Qwen2.5-Coder, Sweep's next-edit models) is Llama with a bias on
the q/k/v projections: RMSNorm, rotary (half-split, theta from the config, 1e6
for Qwen2.5), SwiGLU, grouped-query attention, embeddings tied or not. Written
from the architecture, with Hugging Face's parameter names so a checkpoint's
state dict loads as it is. Llama configs (no bias) read too.

Attention is causal over cache slots (a query sees the keys at or before its own
slot) with `attention_mask` masking padding, whatever the position ids are: the
runtime feeds aligned positions to some models (core/prompt/positions.ts).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

ARCHITECTURES = {"qwen2": "Qwen2ForCausalLM", "llama": "LlamaForCausalLM"}


@dataclass
class DecoderConfig:
    model_type: str
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rope_theta: float
    rms_norm_eps: float
    tie_word_embeddings: bool
    qkv_bias: bool
    o_bias: bool
    max_position_embeddings: int

    @classmethod
    def from_hf(cls, d: Mapping) -> "DecoderConfig":
        """Read a Hugging Face config.json; refuses what this decoder does not compute."""
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
        return cls(
            model_type=kind,
            vocab_size=d["vocab_size"],
            hidden_size=d["hidden_size"],
            intermediate_size=d["intermediate_size"],
            num_hidden_layers=d["num_hidden_layers"],
            num_attention_heads=heads,
            num_key_value_heads=kv,
            head_dim=d.get("head_dim") or d["hidden_size"] // heads,
            rope_theta=float(d.get("rope_theta", 10000.0)),
            rms_norm_eps=float(d.get("rms_norm_eps", 1e-6)),
            tie_word_embeddings=bool(d.get("tie_word_embeddings", False)),
            # Qwen2 always biases q/k/v and never o; Llama's attention_bias covers all four.
            qkv_bias=True if kind == "qwen2" else bias,
            o_bias=False if kind == "qwen2" else bias,
            max_position_embeddings=d.get("max_position_embeddings", 32768),
        )


def inv_freq(head_dim: int, theta: float) -> np.ndarray:
    """Rotary inverse frequencies, float32 as Hugging Face computes them."""
    return (1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))).numpy()


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class SelfAttention(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.c = c
        d = c.head_dim
        self.q_proj = nn.Linear(c.hidden_size, c.num_attention_heads * d, bias=c.qkv_bias)
        self.k_proj = nn.Linear(c.hidden_size, c.num_key_value_heads * d, bias=c.qkv_bias)
        self.v_proj = nn.Linear(c.hidden_size, c.num_key_value_heads * d, bias=c.qkv_bias)
        self.o_proj = nn.Linear(c.num_attention_heads * d, c.hidden_size, bias=c.o_bias)

    def forward(self, x, cos, sin, mask, past):
        c = self.c
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, c.num_attention_heads, c.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)
        # Query head h reads key/value head h // (heads / kv heads).
        rep = c.num_attention_heads // c.num_key_value_heads
        k = torch.repeat_interleave(k, rep, dim=1)
        v = torch.repeat_interleave(v, rep, dim=1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(c.head_dim) + mask
        out = F.softmax(scores, dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1)), present


class MLP(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.up_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.self_attn = SelfAttention(c)
        self.post_attention_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, mask, past):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), present


class Body(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(c) for _ in range(c.num_hidden_layers))
        self.norm = RMSNorm(c.hidden_size, c.rms_norm_eps)


class Decoder(nn.Module):
    """Qwen2ForCausalLM / LlamaForCausalLM: `model.*` and `lm_head.weight` as Hugging Face names them."""

    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.config = c
        self.model = Body(c)
        self.lm_head = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        if c.tie_word_embeddings:
            self.lm_head.weight = self.model.embed_tokens.weight
        self.register_buffer("inv_freq", torch.from_numpy(inv_freq(c.head_dim, c.rope_theta)), persistent=False)

    def load_weights(self, tensors: Mapping[str, np.ndarray]) -> None:
        """Copy a checkpoint's tensors in (as float32); every parameter must be there (lm_head not when tied)."""
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name == "lm_head.weight" and self.config.tie_word_embeddings:
                    continue
                if name not in tensors:
                    raise KeyError(f"checkpoint has no {name}")
                w = np.asarray(tensors[name], dtype=np.float32)
                if tuple(w.shape) != tuple(p.shape):
                    raise ValueError(f"{name}: checkpoint shape {tuple(w.shape)}, model wants {tuple(p.shape)}")
                p.copy_(torch.from_numpy(np.ascontiguousarray(w)))

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        """logits [B, T, V] and per layer (key, value) [B, kv_heads, past + T, head_dim]."""
        b, t = input_ids.shape
        past_len = past[0][0].shape[2] if past is not None else 0
        s = past_len + t
        if attention_mask is None:
            attention_mask = torch.ones(b, s, dtype=torch.long)
        if position_ids is None:
            position_ids = (torch.arange(t) + past_len)[None].expand(b, t)
        slot = torch.arange(t)[:, None] + (s - t)
        allowed = (torch.arange(s)[None, :] <= slot)[None, None] & attention_mask[:, None, None, :].bool()
        mask = torch.zeros(allowed.shape).masked_fill(~allowed, -1e9)
        freqs = position_ids.float()[..., None] * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        x = self.model.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.model.layers):
            x, present = layer(x, cos, sin, mask, past[i] if past is not None else None)
            presents.append(present)
        return self.lm_head(self.model.norm(x)), presents


def load_reference(config: Mapping, tensors: Mapping[str, np.ndarray]) -> Decoder:
    model = Decoder(DecoderConfig.from_hf(config))
    model.load_weights(tensors)
    return model.eval()
