"""synth_edits: synthetic next-edit cases made from real code (files at HEAD).

The kinds that dominate real next edits, each a case in the eval schema with
realistic history events (one zero-context hunk per edit already made):
  rename    an identifier renamed at its first uses; the answer renames the next use
  literal   the same string / number / operator change repeated at the next place
  argument  the same argument added to a call; the answer adds it to the next call
  complete  a line being typed, cut at a token boundary; the answer finishes it
Each case carries "synth": <kind>. Files come from `git ls-tree HEAD` of each
repository (no checkout); the reserved evaluation repositories are refused.

  synth_edits.py --repo MIRRORS/owner+name/repo [--repo ...] --out models/data/synth.jsonl [--per-repo 800]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mine import (EXCLUDED_REPOS, LANGUAGES, SKIP_PATH, Git, cut_points, decode_source,  # noqa: E402
                  render_hunk, repo_name, split_lines, utf16_len)

KINDS = ("rename", "literal", "argument", "complete")
IDENT = re.compile(r"\b[A-Za-z_$][A-Za-z0-9_$]*\b")
STRING = re.compile(r"'[A-Za-z0-9_ ./:-]{1,30}'|\"[A-Za-z0-9_ ./:-]{1,30}\"")
NUMBER = re.compile(r"(?<![\w.])\d{1,4}(?![\w.])")
CALL = re.compile(r"\b([A-Za-z_$][\w$]*)\(([^()\n]{0,60})\)")
KEYWORDS = {"if", "else", "for", "while", "return", "def", "class", "function", "const", "let", "var", "import",
            "from", "export", "in", "of", "and", "or", "not", "is", "None", "True", "False", "null", "true",
            "false", "this", "self", "new", "try", "except", "catch", "async", "await", "with", "as", "elif"}
SUFFIXES = ("Count", "Name", "List", "Value", "Id", "_count", "_name", "_list", "Map", "Ref", "s", "2", "Item")
OPERATORS = {
    "python": {"==": "!=", "<": "<=", ">": ">=", "+=": "-=", "and": "or", "is": "is not"},
    "javascript": {"==": "===", "!=": "!==", "<": "<=", ">": ">=", "+=": "-=", "&&": "||"},
}
OPERATORS["typescript"] = OPERATORS["javascript"]
ARGUMENTS = {"python": ("True", "None", "0", "options", "ctx"), "javascript": ("true", "null", "0", "options", "ctx")}
ARGUMENTS["typescript"] = ARGUMENTS["javascript"]
WINDOW_LINES = 28  # the next place stays within what the prompt window shows, mostly


def line_start(text: str, line: int) -> int:
    pos = 0
    for _ in range(line):
        pos = text.index("\n", pos) + 1
    return pos


def rename_to(name: str, rng: random.Random, idents: list[str]) -> str:
    r = rng.random()
    if r < 0.45:
        return name + rng.choice(SUFFIXES)
    if r < 0.7 and idents:
        other = rng.choice(idents)
        if other != name:
            return other
    if "_" in name:
        parts = name.split("_")
        return parts[0] + "".join(p.title() for p in parts[1:])
    return rng.choice(("new", "old", "my", "_")) + (name[0].upper() + name[1:] if rng.random() < 0.5 else name)


def window_around(text: str, rng: random.Random) -> tuple[str, int] | None:
    """WINDOW_LINES lines around a random line, and the offset they start at (None for tiny files)."""
    lines = split_lines(text)
    if len(lines) < 4:
        return None
    anchor = rng.randrange(len(lines))
    lo, hi = max(0, anchor - WINDOW_LINES // 2), min(len(lines), anchor + WINDOW_LINES // 2)
    return "".join(lines[lo:hi]), line_start(text, lo)


def substitution_case(path: str, text: str, rng: random.Random, kind: str) -> tuple[list[str], str, int, str] | None:
    """Apply old -> new at the first k places (events), answer: the next place."""
    picked = window_around(text, rng)
    if picked is None:
        return None
    window, base = picked
    if kind == "rename":
        names = [m.group(0) for m in IDENT.finditer(window) if m.group(0) not in KEYWORDS and len(m.group(0)) > 2]
        if not names:
            return None
        old = rng.choice(names)
        new = rename_to(old, rng, names)
        pattern = re.compile(r"(?<![\w$])" + re.escape(old) + r"(?![\w$])")
    else:
        options = [m.group(0) for m in STRING.finditer(window)] + [m.group(0) for m in NUMBER.finditer(window)]
        operators = OPERATORS[LANGUAGES[os.path.splitext(path)[1]]]
        ops = [o for o in operators if f" {o} " in window]
        if not options and not ops:
            return None
        if ops and (not options or rng.random() < 0.3):
            old = rng.choice(ops)
            new = operators[old]
            pattern = re.compile(r"(?<= )" + re.escape(old) + r"(?= )")
        else:
            old = rng.choice(options)
            if old[0] in "'\"":
                q = old[0]
                body = old[1:-1]
                new = q + rng.choice((body + "_v2", body.upper(), body + "s", "new_" + body, body[: max(1, len(body) // 2)])) + q
            else:
                new = str(int(old) + rng.choice((1, 2, 10, -1)) if int(old) > 1 else int(old) + 1)
            pattern = re.compile(r"(?<![\w.'\"])" + re.escape(old) + r"(?![\w.'\"])")
    if new == old:
        return None
    places = [base + m.start() for m in pattern.finditer(window)]
    if len(places) < 2:
        return None
    return apply_in_order(path, text, places, len(old), lambda _: new, rng)


def argument_case(path: str, text: str, rng: random.Random) -> tuple[list[str], str, int, str] | None:
    """The same argument added to calls of one function, one after another."""
    picked = window_around(text, rng)
    if picked is None:
        return None
    window, base = picked
    calls = [m for m in CALL.finditer(window) if m.group(1) not in KEYWORDS]
    by_name: dict[str, list[re.Match]] = {}
    for m in calls:
        by_name.setdefault(m.group(1), []).append(m)
    usable = [ms for ms in by_name.values() if len(ms) >= 2]
    if not usable:
        return None
    ms = rng.choice(usable)
    idents = [i for i in IDENT.findall(window) if i not in KEYWORDS]
    arg = rng.choice(idents) if idents and rng.random() < 0.6 else rng.choice(ARGUMENTS[LANGUAGES[os.path.splitext(path)[1]]])
    # Insert just before each call's closing parenthesis.
    places = [base + m.end() - 1 for m in ms]
    return apply_in_order(path, text, places, 0, lambda at: (", " if text[at - 1] != "(" else "") + arg, rng)


def apply_in_order(path, text, places, old_len, insert_at, rng):
    """Events for the first k places (top-down, or from a middle one), the next as the answer."""
    order = sorted(places)
    if rng.random() < 0.25:
        start = rng.randrange(len(order))
        order = order[start:] + order[:start]
    k = rng.randint(1, min(3, len(order) - 1))
    done, target = order[:k], order[k]
    events, current = [], text
    applied: list[tuple[int, int]] = []  # (original place, length change) so later offsets move
    cursor = 0
    for place in done:
        at = place + sum(d for p, d in applied if p < place)
        ins = insert_at(place)
        before_line = current.count("\n", 0, at)
        old_lines = split_lines(current)
        new = current[:at] + ins + current[at + old_len:]
        new_lines = split_lines(new)
        events.append(render_hunk(path, before_line + 1, [old_lines[before_line]], [new_lines[before_line]]))
        applied.append((place, len(ins) - old_len))
        current = new
        cursor = at + len(ins)
    at = target + sum(d for p, d in applied if p < target)
    ins = insert_at(target)
    after = current[:at] + ins + current[at + old_len:]
    if after == current:
        return None
    return events, current, cursor, after


def complete_case(path: str, text: str, rng: random.Random) -> tuple[list[str], str, int, str] | None:
    """A line being typed: its head is in the file (the last event), the answer finishes it."""
    lines = split_lines(text)
    candidates = [i for i, ln in enumerate(lines) if len(ln.strip()) >= 16 and ln.endswith("\n")]
    if not candidates:
        return None
    i = rng.choice(candidates)
    line = lines[i].rstrip("\n")
    indent = len(line) - len(line.lstrip())
    cut = cut_points(line[indent:], rng)
    if cut is None:
        return None
    head = line[: indent + cut]
    before_lines = lines[:i] + [head + "\n"] + lines[i + 1:]
    before = "".join(before_lines)
    start = line_start(before, i)
    event = render_hunk(path, i + 1, [], [head + "\n"])
    return [event], before, start + len(head), text


def cases_for_file(repo: str, path: str, text: str, rng: random.Random, kind: str) -> dict | None:
    if kind in ("rename", "literal"):
        made = substitution_case(path, text, rng, kind)
    elif kind == "argument":
        made = argument_case(path, text, rng)
    else:
        made = complete_case(path, text, rng)
    if made is None:
        return None
    events, before, cursor, after = made
    if before == after:
        return None
    key = f"{repo}|{path}|{kind}|{cursor}|{hashlib.sha1(after.encode()).hexdigest()[:8]}"
    answer_line = next((n for n, (a, b) in enumerate(zip(split_lines(before), split_lines(after))) if a != b),
                       before.count("\n"))
    return {
        "id": "s" + hashlib.sha1(key.encode()).hexdigest()[:11],
        "kind": "complete" if kind == "complete" else "repeat",
        "synth": kind,
        "language": LANGUAGES[os.path.splitext(path)[1]],
        "path": path,
        "events": events,
        "before": before,
        "cursor": utf16_len(before[:cursor]),
        "after": after,
        "distance_lines": 0 if kind == "complete" else answer_line - before.count("\n", 0, cursor),
        "source": {"repo": repo, "commit": "HEAD"},
    }


def head_files(git: Git) -> list[str]:
    names = git.run("ls-tree", "-r", "--name-only", "HEAD").splitlines()
    return [n for n in names if os.path.splitext(n)[1] in LANGUAGES and not SKIP_PATH.search(n)]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repo", action="append", default=[], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--per-repo", type=int, default=800, help="cases per repository (kinds in turn)")
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    kinds = args.kinds.split(",")
    total = 0
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for git_dir in args.repo:
            repo = repo_name(git_dir)
            if repo.lower() in EXCLUDED_REPOS:
                print(f"refused {repo}: reserved for evaluation (models/train/reserved.txt)", file=sys.stderr)
                continue
            rng = random.Random(f"{args.seed}:{repo}")
            git = Git(git_dir)
            try:
                files = head_files(git)
                rng.shuffle(files)
                texts = []
                for f in files[: args.per_repo]:
                    t = decode_source(git.blob("HEAD", f))
                    if t and "\r" not in t:
                        texts.append((f, t))
            finally:
                git.close()
            made = 0
            tries = 0
            while made < args.per_repo and texts and tries < args.per_repo * 6:
                path, text = texts[tries % len(texts)]
                kind = kinds[tries % len(kinds)]
                tries += 1
                case = cases_for_file(repo, path, text, rng, kind)
                if case:
                    out.write(json.dumps(case, ensure_ascii=False) + "\n")
                    made += 1
            total += made
            print(f"{repo}: {made} synthetic cases from {len(texts)} files", file=sys.stderr)
    print(f"wrote {total} cases to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
