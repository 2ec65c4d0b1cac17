"""nextedit tokenizer CLI: train a byte-level BPE on source files, encode/decode with it.

  tokenizer.py train --out models/tokenizer --vocab-size 4096 [--git-dir DIR ...] [--files GLOB ...] [--jsonl F ...]
  tokenizer.py encode   < JSON list of strings   -> JSON list of id lists
  tokenizer.py decode   < JSON list of id lists  -> JSON list of strings
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe import SPECIAL_TOKENS, BPETokenizer, train  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOKENIZER = os.path.join(HERE, "..", "tokenizer", "tokenizer.json")
CODE_EXTS = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".py", ".json", ".md", ".css", ".html")
MAX_FILE_BYTES = 100_000


def git_files(git_dir: str, max_files: int) -> list[str]:
    """Texts of code files at HEAD of a (bare) git dir, read without a checkout."""
    names = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", "--name-only", "HEAD"],
                           check=True, capture_output=True).stdout.decode("utf-8", "replace").split("\0")
    names = sorted(n for n in names if n.endswith(CODE_EXTS) and "min." not in n and "lock" not in n)[:max_files]
    texts = []
    for n in names:
        blob = subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{n}"], capture_output=True).stdout
        if len(blob) <= MAX_FILE_BYTES and b"\0" not in blob:
            texts.append(blob.decode("utf-8", "replace"))
    return texts


def write_tokenizer(tok: BPETokenizer, out_dir: str, model_max_length: int) -> None:
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok.to_hf_json(), f, ensure_ascii=False)
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model_max_length,
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|pad|>", "unk_token": None,
        "clean_up_tokenization_spaces": False,
        "add_bos_token": False, "add_eos_token": False,
        "additional_special_tokens": [t for t in SPECIAL_TOKENS if t not in ("<|endoftext|>", "<|pad|>")],
    }
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    special_map = {k: config[k] for k in ("bos_token", "eos_token", "pad_token", "additional_special_tokens")}
    with open(os.path.join(out_dir, "special_tokens_map.json"), "w", encoding="utf-8") as f:
        json.dump(special_map, f, indent=2)


def cmd_train(args) -> None:
    texts: list[str] = []
    for pattern in args.files or []:
        for path in sorted(glob.glob(pattern, recursive=True)):
            with open(path, encoding="utf-8", errors="replace") as f:
                texts.append(f.read())
    for git_dir in args.git_dir or []:
        texts.extend(git_files(git_dir, args.max_files_per_repo))
        print(f"read {git_dir}: {len(texts)} texts so far", file=sys.stderr)
    for path in args.jsonl or []:
        with open(path, encoding="utf-8") as f:
            for line in f:
                case = json.loads(line)
                texts.append(case["after"])
    print(f"training on {len(texts)} texts, {sum(map(len, texts))} chars", file=sys.stderr)
    tok = train(texts, args.vocab_size, progress=lambda m: print(m, file=sys.stderr))
    write_tokenizer(tok, args.out, args.model_max_length)
    print(f"wrote {args.out}: vocab {len(tok.vocab)}, merges {len(tok.merges)}", file=sys.stderr)


def cmd_add_specials(args) -> None:
    """Append the special tokens a tokenizer lacks (new prompt formats); existing ids stay."""
    tok = BPETokenizer.load(os.path.join(args.dir, "tokenizer.json"))
    grown = tok.with_specials()
    with open(os.path.join(args.dir, "tokenizer_config.json"), encoding="utf-8") as f:
        max_len = json.load(f).get("model_max_length", 8192)
    write_tokenizer(grown, args.dir, max_len)
    print(f"{args.dir}: vocab {len(tok.vocab)} -> {len(grown.vocab)}", file=sys.stderr)


def cmd_encode(args) -> None:
    tok = BPETokenizer.load(args.tokenizer)
    json.dump([tok.encode(t) for t in json.load(sys.stdin)], sys.stdout)


def cmd_decode(args) -> None:
    tok = BPETokenizer.load(args.tokenizer)
    json.dump([tok.decode(ids) for ids in json.load(sys.stdin)], sys.stdout, ensure_ascii=False)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train a tokenizer and write it in Hugging Face layout")
    t.add_argument("--out", default=os.path.join(HERE, "..", "tokenizer"))
    t.add_argument("--vocab-size", type=int, default=4096)
    t.add_argument("--model-max-length", type=int, default=8192)
    t.add_argument("--files", nargs="*", help="glob patterns (** allowed) of text files")
    t.add_argument("--git-dir", nargs="*", help="git dirs whose HEAD code files to read")
    t.add_argument("--max-files-per-repo", type=int, default=400)
    t.add_argument("--jsonl", nargs="*", help="mined case files: train on their `after` texts")
    t.set_defaults(fn=cmd_train)
    a = sub.add_parser("add-specials", help="append missing special tokens to a tokenizer folder (ids kept)")
    a.add_argument("dir", nargs="?", default=os.path.join(HERE, "..", "tokenizer"))
    a.set_defaults(fn=cmd_add_specials)
    for name, fn, what in (("encode", cmd_encode, "stdin: JSON list of strings; stdout: JSON list of id lists"),
                           ("decode", cmd_decode, "stdin: JSON list of id lists; stdout: JSON list of strings")):
        s = sub.add_parser(name, help=what)
        s.add_argument("--tokenizer", default=DEFAULT_TOKENIZER)
        s.set_defaults(fn=fn)
    args = p.parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main()
