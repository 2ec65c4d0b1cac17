"""Byte-level BPE (GPT-2 style) written from scratch: training, encode, decode,
and the Hugging Face tokenizers JSON layout that transformers.js loads.

The pre-tokenizer regex uses only explicit ASCII classes (no \\p{..}, no \\s) so
Python's `re` and JavaScript's RegExp split every text identically.
"""
from __future__ import annotations

import heapq
import json
import re
from collections import Counter, defaultdict
from typing import Iterable

# Ids 0-10, before the byte tokens.
BASE_SPECIAL_TOKENS = [
    "<|file|>", "<|suffix|>", "<|history|>", "<|prefix|>", "<|region|>", "<|cursor|>",
    "<|/region|>", "<|answer|>", "<|no_edit|>", "<|endoftext|>", "<|pad|>",
]
# The jump-aware prompt format (core's prompt/native-v2.ts), appended after the
# merges so the ids of every earlier token (and models trained on them) stay.
MAX_BLOCKS = 24
V2_SPECIAL_TOKENS = ["<|/block|>", "<|diagnostics|>", *(f"<|block_{i}|>" for i in range(MAX_BLOCKS))]
SPECIAL_TOKENS = BASE_SPECIAL_TOKENS + V2_SPECIAL_TOKENS

# Word chars: anything that is not ASCII whitespace, digit or punctuation ($ and _ count as word).
_PUNCT = r"!-#%-/:-@\[-\^`{-~"
_WORD = r"[^ \t\r\n\f\v0-9" + _PUNCT + r"]"
_SPACE = r"[ \t\f\v]"
PRETOKENIZE_PATTERN = (
    r" ?" + _WORD + r"+"                      # identifiers/words, leading space attached
    r"|[0-9]{1,3}"                             # digits, at most 3
    r"| ?[" + _PUNCT + r"]+"                   # punctuation runs
    r"|(?:\r?\n)+"                             # newlines, apart from other whitespace
    r"|" + _SPACE + r"+(?![^ \t\r\n\f\v])"     # trailing spaces (keep last space for the next word)
    r"|" + _SPACE + r"+"
    r"|\r"
)
_PRE_RE = re.compile(PRETOKENIZE_PATTERN)


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable unicode char mapping."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {c: b for b, c in BYTE_ENCODER.items()}


def pretokenize(text: str) -> list[str]:
    return _PRE_RE.findall(text)


def to_byte_chars(piece: str) -> str:
    return "".join(BYTE_ENCODER[b] for b in piece.encode("utf-8"))


def _merge_word(word: list[str], a: str, b: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


def train(texts: Iterable[str], vocab_size: int = 4096, min_frequency: int = 2, progress=None) -> "BPETokenizer":
    """Learn merges until the vocab (specials + 256 bytes + merged tokens) reaches vocab_size."""
    counts: Counter[str] = Counter()
    for text in texts:
        for chunk in split_specials(text):
            if chunk not in SPECIAL_TOKENS:
                counts.update(to_byte_chars(p) for p in pretokenize(chunk))
    words = [list(w) for w in counts]
    freqs = list(counts.values())
    pair_counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[int]] = defaultdict(set)
    for wi, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_counts[p] += freqs[wi]
            where[p].add(wi)
    # Max-heap with lazy invalidation; ties broken by the pair itself so training is deterministic.
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    vocab = base_vocab()
    merges: list[tuple[str, str]] = []
    while len(vocab) < vocab_size and heap:
        negc, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negc:
            continue
        if -negc < min_frequency:
            break
        a, b = pair
        merges.append(pair)
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
        changed: set[tuple[str, str]] = set()
        for wi in list(where[pair]):
            w = words[wi]
            f = freqs[wi]
            for p in zip(w, w[1:]):
                pair_counts[p] -= f
                changed.add(p)
            nw = _merge_word(w, a, b)
            words[wi] = nw
            for p in zip(nw, nw[1:]):
                pair_counts[p] += f
                where[p].add(wi)
                changed.add(p)
        del pair_counts[pair]
        where.pop(pair, None)
        for p in changed:
            c = pair_counts.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p))
        if progress and len(merges) % 500 == 0:
            progress(f"merges {len(merges)} vocab {len(vocab)}")
    return BPETokenizer(vocab, merges).with_specials()


def base_vocab() -> dict[str, int]:
    vocab = {t: i for i, t in enumerate(BASE_SPECIAL_TOKENS)}
    for b in range(256):
        vocab[BYTE_ENCODER[b]] = len(vocab)
    return vocab


_SPECIAL_RE = re.compile("(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")")


def split_specials(text: str) -> list[str]:
    return [c for c in _SPECIAL_RE.split(text) if c]


class BPETokenizer:
    def __init__(self, vocab: dict[str, int], merges: list[tuple[str, str]]):
        self.vocab = vocab
        self.merges = merges
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.id_to_token = {i: t for t, i in vocab.items()}
        self._cache: dict[str, list[str]] = {}

    def with_specials(self) -> "BPETokenizer":
        """This tokenizer with every special token of SPECIAL_TOKENS it lacks appended (ids after the last)."""
        vocab = dict(self.vocab)
        for t in SPECIAL_TOKENS:
            if t not in vocab:
                vocab[t] = max(vocab.values()) + 1
        return BPETokenizer(vocab, self.merges)

    def bpe(self, piece: str) -> list[str]:
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        word = list(piece)
        while len(word) > 1:
            best = min(zip(word, word[1:]), key=lambda p: self.ranks.get(p, 1 << 30))
            if best not in self.ranks:
                break
            word = _merge_word(word, *best)
        self._cache[piece] = word
        return word

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for chunk in split_specials(text):
            if chunk in SPECIAL_TOKENS:
                ids.append(self.vocab[chunk])
                continue
            for piece in pretokenize(chunk):
                ids.extend(self.vocab[t] for t in self.bpe(to_byte_chars(piece)))
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        out = bytearray()
        for i in ids:
            tok = self.id_to_token[i]
            if tok in SPECIAL_TOKENS:
                out.extend(tok.encode("utf-8"))
            else:
                out.extend(BYTE_DECODER[c] for c in tok)
        return out.decode("utf-8", errors="replace")

    def to_hf_json(self) -> dict:
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.vocab[t], "content": t, "single_word": False, "lstrip": False,
                 "rstrip": False, "normalized": False, "special": True}
                for t in SPECIAL_TOKENS if t in self.vocab
            ],
            "normalizer": None,
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": PRETOKENIZE_PATTERN},
                     "behavior": "Isolated", "invert": False},
                    {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
                ],
            },
            "post_processor": None,
            "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": {t: i for t, i in self.vocab.items() if t not in V2_SPECIAL_TOKENS},
                "merges": [[a, b] for a, b in self.merges],
            },
        }

    @classmethod
    def from_hf_json(cls, data: dict) -> "BPETokenizer":
        model = data["model"]
        vocab = dict(model["vocab"])
        for t in data.get("added_tokens", []):
            vocab[t["content"]] = t["id"]
        merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)) for m in model["merges"]]
        return cls(vocab, merges)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str) -> "BPETokenizer":
        with open(path, encoding="utf-8") as f:
            return cls.from_hf_json(json.load(f))
