"""Special-token ids as the shipped tokenizer spec numbers them
(models/tokenizer/tokenizer.json, its added_tokens): Python code takes every
special id from here, never as a literal, so the ids cannot drift from what
transformers.js loads at inference."""
from __future__ import annotations

import json
import os

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizer", "tokenizer.json")


def read_spec(spec: str = SPEC) -> tuple[dict[str, int], int]:
    """(special token -> id, the first id of an ordinary token) of a tokenizer.json."""
    with open(spec, encoding="utf-8") as f:
        data = json.load(f)
    ids = {t["content"]: t["id"] for t in data["added_tokens"] if t.get("special")}
    first_ordinary = min(i for t, i in data["model"]["vocab"].items() if t not in ids)
    return ids, first_ordinary


IDS, FIRST_ORDINARY = read_spec()
FILE = IDS["<|file|>"]
PREFIX = IDS["<|prefix|>"]
REGION = IDS["<|region|>"]
CURSOR = IDS["<|cursor|>"]
REGION_END = IDS["<|/region|>"]
ANSWER = IDS["<|answer|>"]
NO_EDIT = IDS["<|no_edit|>"]
EOS = IDS["<|endoftext|>"]
PAD = IDS["<|pad|>"]
