"""Mine next-edit training cases from git history (schema: shared eval SCHEMA.md).

For each commit and changed file: split the file's diff into hunks, pretend the
author applied some of them (the events) and make the next one the answer.
Kinds: `next`, `repeat` (the answer changes the same tokens as the last event),
`complete` (an insertion cut half-way; the cursor sits at the cut; replaced lines are not
used: finishing one would mostly restore what the author deleted).

  mine.py --repo MIRRORS/owner+name/repo [--repo ...] [--out-dir models/data/mined]
  mine.py --repo "$(git rev-parse --git-dir)" --name nextedit/self     # smoke run, no network
  mine.py --split [--heldout-frac 0.05]   # move ~5% of mined repos to models/data/heldout*
"""
from __future__ import annotations

import argparse
import difflib
import glob
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

LANGUAGES = {
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".py": "python",
}


def reserved_repos(path: str = os.path.join(HERE, "reserved.txt")) -> frozenset[str]:
    """Lower-cased owner/name of every repository kept out of training (eval sets)."""
    with open(path, encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip() and not line.startswith("#"))


# The eval sets come from these; never mine, train or tune on them.
EXCLUDED_REPOS = reserved_repos()
SKIP_PATH = re.compile(
    r"(^|/)(node_modules|vendor|vendored|third_party|dist|build|out|coverage|__snapshots__|fixtures?)/"
    r"|\.min\.|\.bundle\.|\.d\.ts$|(^|/)package-lock|lock\.|_pb2\.py$|\.generated\.|(^|/)generated/"
)
MAX_FILE_BYTES = 100_000
MAX_FILE_LINES = 2000
MAX_FILES_PER_COMMIT = 12     # larger commits are mass changes (renames, reformatting)
MAX_LINES_PER_FILE = 300      # added + deleted lines of one file
MAX_HUNKS_PER_FILE = 12
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only '\\n' ends a line (keeps '\\r\\n' intact, unlike str.splitlines)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


@dataclass(frozen=True)
class Hunk:
    a0: int  # old lines [a0, a1) are replaced by new lines [b0, b1)
    a1: int
    b0: int
    b1: int


def diff_hunks(old: list[str], new: list[str]) -> list[Hunk]:
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [Hunk(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


def is_whitespace_only(old_text: str, new_text: str) -> bool:
    return "".join(old_text.split()) == "".join(new_text.split())


def changed_tokens(old_text: str, new_text: str) -> tuple[frozenset, frozenset]:
    a, b = Counter(TOKEN_RE.findall(old_text)), Counter(TOKEN_RE.findall(new_text))
    return frozenset(a - b), frozenset(b - a)


def resembles(h1: tuple[str, str], h2: tuple[str, str]) -> bool:
    """Same tokens changed: e.g. a rename, or the same pattern applied again."""
    r1, a1 = changed_tokens(*h1)
    r2, a2 = changed_tokens(*h2)
    s1 = {("-", t) for t in r1} | {("+", t) for t in a1}
    s2 = {("-", t) for t in r2} | {("+", t) for t in a2}
    if not s1 or not s2:
        return False
    return len(s1 & s2) / len(s1 | s2) >= 0.5


class FileChange:
    """One file's old/new lines and hunks; renders intermediate states and one-hunk events."""

    def __init__(self, path: str, old: str, new: str):
        self.path = path
        self.old, self.new = split_lines(old), split_lines(new)
        self.hunks = diff_hunks(self.old, self.new)

    def texts(self, i: int) -> tuple[str, str]:
        h = self.hunks[i]
        return "".join(self.old[h.a0:h.a1]), "".join(self.new[h.b0:h.b1])

    def state(self, applied: set[int], partial: dict[int, list[str]] | None = None) -> tuple[str, dict[int, int]]:
        """File text with the `applied` hunks done (and `partial` hunks replaced by given lines);
        also each hunk's start offset in that text."""
        out: list[str] = []
        starts: dict[int, int] = {}
        pos = 0
        size = 0
        for i, h in enumerate(self.hunks):
            out.extend(self.old[pos:h.a0])
            size += sum(map(len, self.old[pos:h.a0]))
            starts[i] = size
            if partial and i in partial:
                lines = partial[i]
            else:
                lines = self.new[h.b0:h.b1] if i in applied else self.old[h.a0:h.a1]
            out.extend(lines)
            size += sum(map(len, lines))
            pos = h.a1
        out.extend(self.old[pos:])
        return "".join(out), starts

    def start_line(self, applied: set[int], k: int) -> int:
        """0-based line where hunk k starts in the state with `applied` done."""
        h = self.hunks[k]
        shift = sum((self.hunks[j].b1 - self.hunks[j].b0) - (self.hunks[j].a1 - self.hunks[j].a0)
                    for j in applied if j < k)
        return h.a0 + shift

    def event(self, applied: set[int], k: int, new_lines: list[str] | None = None) -> str:
        """Unified diff (no context) of hunk k against the state with `applied` done."""
        h = self.hunks[k]
        old_lines = self.old[h.a0:h.a1]
        if new_lines is None:
            new_lines = self.new[h.b0:h.b1]
        line = self.start_line(applied, k) + 1
        return render_hunk(self.path, line, old_lines, new_lines)


def render_hunk(path: str, line: int, old_lines: list[str], new_lines: list[str]) -> str:
    out = [f"--- a/{path}\n+++ b/{path}\n@@ -{line},{len(old_lines)} +{line},{len(new_lines)} @@\n"]
    for sign, lines in (("-", old_lines), ("+", new_lines)):
        for ln in lines:
            out.append(sign + ln if ln.endswith("\n") else sign + ln + "\n\\ No newline at end of file\n")
    return "".join(out)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def make_case(repo: str, commit: str, fc: FileChange, kind: str, events: list[str],
              before: str, cursor: int, after: str, answer_line: int) -> dict:
    key = f"{repo}|{commit}|{fc.path}|{kind}|{len(events)}|{cursor}"
    return {
        "id": hashlib.sha1(key.encode()).hexdigest()[:12],
        "kind": kind,
        "language": LANGUAGES[os.path.splitext(fc.path)[1]],
        "path": fc.path,
        "events": events,
        "before": before,
        "cursor": utf16_len(before[:cursor]),
        "after": after,
        "distance_lines": 0 if kind == "complete" else answer_line - line_of(before, cursor),
        "source": {"repo": repo, "commit": commit},
    }


def next_cases(repo: str, commit: str, fc: FileChange, order: list[int], substantive: set[int]) -> list[dict]:
    """`next`/`repeat`: events = order[:i], answer = order[i]."""
    cases = []
    for i in range(1, len(order)):
        k = order[i]
        if k not in substantive:
            continue
        done = set(order[:i])
        events = [fc.event(set(order[:j]), order[j]) for j in range(i)]
        before, starts = fc.state(done)
        after, _ = fc.state(done | {k})
        last = order[i - 1]
        typed = fc.texts(last)[1]
        # End of the last line the author just typed, before its line ending (as in the eval set).
        line_end = len(typed) - len(typed.removesuffix("\n").removesuffix("\r")) if typed.endswith("\n") else 0
        cursor = starts[last] + len(typed) - line_end
        kind = "repeat" if resembles(fc.texts(last), fc.texts(k)) else "next"
        cases.append(make_case(repo, commit, fc, kind, events, before, cursor, after, fc.start_line(done, k)))
    return cases


def cut_points(text: str, rng: random.Random) -> int | None:
    """A token boundary 25-85% into an insertion, so the author is mid-way through typing it."""
    ends = [m.end() for m in TOKEN_RE.finditer(text)]
    cands = [e for e in ends if 0.25 * len(text) <= e <= 0.85 * len(text) and text[e:].strip()]
    return rng.choice(cands) if cands else None


def complete_cases(repo: str, commit: str, fc: FileChange, order: list[int], substantive: set[int],
                   rng: random.Random) -> list[dict]:
    cases = []
    for i, k in enumerate(order):
        if k not in substantive:
            continue
        old_text, new_text = fc.texts(k)
        if len("".join(new_text.split())) < 16:
            continue
        cut = cut_points(new_text, rng)
        # Only insertions, as in the eval schema: a replaced line cut half-way makes a case whose
        # answer restores the deleted text (an undo the suggestion policy holds back). Checked
        # after the draw so the other cases keep their cut points.
        if cut is None or old_text:
            continue
        partial = new_text[:cut]
        ending = "\r\n" if new_text.endswith("\r\n") else "\n"
        typed = split_lines(partial if partial.endswith("\n") else partial + ending)
        done = set(order[:i])
        events = [fc.event(set(order[:j]), order[j]) for j in range(i)]
        events.append(fc.event(done, k, typed))
        before, starts = fc.state(done, {k: typed})
        after, _ = fc.state(done | {k})
        cases.append(make_case(repo, commit, fc, "complete", events, before, starts[k] + len(partial), after, 0))
    return cases


def file_cases(repo: str, commit: str, fc: FileChange, rng: random.Random) -> list[dict]:
    if not fc.hunks or len(fc.hunks) > MAX_HUNKS_PER_FILE:
        return []
    substantive = {i for i in range(len(fc.hunks)) if not is_whitespace_only(*fc.texts(i))}
    if not substantive:
        return []  # formatting-only change
    order = list(range(len(fc.hunks)))
    if rng.random() < 0.2:
        rng.shuffle(order)  # authors do not always edit top to bottom
    return next_cases(repo, commit, fc, order, substantive) + complete_cases(repo, commit, fc, order, substantive, rng)


class Git:
    def __init__(self, git_dir: str):
        self.git_dir = git_dir
        self.cat = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, *args: str) -> str:
        r = subprocess.run(["git", "--git-dir", self.git_dir, *args], capture_output=True)
        if r.returncode != 0:
            # Partial snapshots lack old objects: keep the history that could be read.
            print(f"{self.git_dir}: git {args[0]} stopped early: {r.stderr.decode(errors='replace').strip()}",
                  file=sys.stderr)
        return r.stdout.decode("utf-8", "replace")

    def blob(self, rev: str, path: str) -> bytes | None:
        assert self.cat.stdin and self.cat.stdout
        self.cat.stdin.write(f"{rev}:{path}\n".encode())
        self.cat.stdin.flush()
        header = self.cat.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        size = int(header[2])
        data = self.cat.stdout.read(size)
        self.cat.stdout.read(1)
        return data

    def close(self) -> None:
        if self.cat.stdin:
            self.cat.stdin.close()
        self.cat.wait()
        if self.cat.stdout:
            self.cat.stdout.close()


def commits(git: Git, max_commits: int) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(commit, parent, [(added, deleted, path)]) for non-merge commits, newest first."""
    log = git.run("log", "--no-merges", "--no-renames", f"--max-count={max_commits}",
                  "--format=@@@%H %P", "--numstat", "HEAD")
    out = []
    for block in log.split("@@@")[1:]:
        lines = block.strip("\n").split("\n")
        shas = lines[0].split()
        if len(shas) != 2:
            continue  # root commit
        files = []
        for ln in lines[1:]:
            parts = ln.split("\t")
            if len(parts) == 3:
                added, deleted, path = parts
                files.append((-1 if added == "-" else int(added), -1 if deleted == "-" else int(deleted), path))
        out.append((shas[0], shas[1], files))
    return out


def decode_source(data: bytes | None) -> str | None:
    if data is None or len(data) > MAX_FILE_BYTES or b"\0" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.count("\n") <= MAX_FILE_LINES else None


def balanced(found: list[dict], limit: int, rng: random.Random) -> list[dict]:
    """Up to `limit` cases, taking the kinds in turn (repeat first: rarest, most useful)."""
    by_kind: dict[str, list[dict]] = {k: [] for k in ("repeat", "next", "complete")}
    for c in found:
        by_kind[c["kind"]].append(c)
    for group in by_kind.values():
        rng.shuffle(group)
    out: list[dict] = []
    while len(out) < limit and any(by_kind.values()):
        for group in by_kind.values():
            if group and len(out) < limit:
                out.append(group.pop())
    return out


def mine_repo(git_dir: str, repo: str, seed: int, max_commits: int, max_per_commit: int,
              max_per_repo: int) -> list[dict]:
    git = Git(git_dir)
    cases: list[dict] = []
    try:
        history = commits(git, max_commits)
        for n, (commit, parent, files) in enumerate(history):
            if len(files) > MAX_FILES_PER_COMMIT:
                continue
            rng = random.Random(f"{seed}:{repo}:{commit}")
            found: list[dict] = []
            for added, deleted, path in files:
                if (os.path.splitext(path)[1] not in LANGUAGES or SKIP_PATH.search(path) or added < 0
                        or added + deleted > MAX_LINES_PER_FILE or added + deleted == 0):
                    continue
                old = decode_source(git.blob(parent, path))
                new = decode_source(git.blob(commit, path))
                if old is None or new is None or old == new:
                    continue
                found.extend(file_cases(repo, commit, FileChange(path, old, new), rng))
            cases.extend(balanced(found, max_per_commit, rng))
            if n % 200 == 0:
                print(f"{repo}: {n}/{len(history)} commits, {len(cases)} cases", file=sys.stderr)
    finally:
        git.close()
    return balanced(cases, max_per_repo, random.Random(f"{seed}:{repo}"))


def repo_name(git_dir: str) -> str:
    """owner/name for MIRRORS/owner+name/repo style dirs; else the checkout's folder name."""
    path = os.path.abspath(git_dir).rstrip("/")
    parent, base = os.path.split(path)
    if base in ("repo", ".git") or base.endswith(".git"):
        name = os.path.basename(parent) if base in ("repo", ".git") else base[:-4]
    else:
        name = base
    return name.replace("+", "/", 1)


def file_stem(repo: str) -> str:
    return repo.replace("/", "__")


def write_jsonl(path: str, cases: list[dict]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")


def split(mined_dir: str, heldout_dir: str, heldout_file: str, frac: float, seed: int) -> list[str]:
    """Move a deterministic ~frac of repos (at least one) out of the training folder."""
    fresh = {os.path.basename(f): f for f in glob.glob(os.path.join(mined_dir, "*.jsonl"))}
    for f in glob.glob(os.path.join(heldout_dir, "*.jsonl")):
        if os.path.basename(f) in fresh:
            os.remove(f)  # re-mined since the last split: the copy in mined_dir is newer
        else:
            fresh[os.path.basename(f)] = f
    files = sorted(fresh.values())
    ranked = sorted(files, key=lambda f: hashlib.sha1(f"{seed}:{os.path.basename(f)}".encode()).hexdigest())
    held = set(ranked[:max(1, round(frac * len(files)))]) if len(files) > 1 else set()
    os.makedirs(heldout_dir, exist_ok=True)
    lines: list[str] = []
    for f in files:
        target = os.path.join(heldout_dir if f in held else mined_dir, os.path.basename(f))
        if f != target:
            os.replace(f, target)
        if f in held:
            with open(target, encoding="utf-8") as fh:
                lines.extend(fh.readlines())
    with open(heldout_file, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    return sorted(os.path.basename(f)[:-6].replace("__", "/") for f in held)


def stats(dirs: list[str]) -> str:
    """Markdown tables for the data card: cases and commits per repo, cases per language and kind."""
    rows, langs = [], Counter()
    for d in dirs:
        for f in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
            with open(f, encoding="utf-8") as fh:
                cases = [json.loads(line) for line in fh]
            kinds = Counter(c["kind"] for c in cases)
            langs.update((c["language"], c["kind"]) for c in cases)
            commits = len({c["source"]["commit"] for c in cases})
            repo = cases[0]["source"]["repo"] if cases else os.path.basename(f)[:-6]
            rows.append(f"| {repo} | {os.path.basename(d)} | {commits} | {len(cases)} | "
                        f"{kinds['next']} | {kinds['repeat']} | {kinds['complete']} |")
    out = ["| repo | split | commits used | cases | next | repeat | complete |", "|---|---|---|---|---|---|---|", *rows,
           "", "| language | next | repeat | complete | total |", "|---|---|---|---|---|"]
    for lang in sorted({lang for lang, _ in langs}):
        n = [langs[(lang, k)] for k in ("next", "repeat", "complete")]
        out.append(f"| {lang} | {n[0]} | {n[1]} | {n[2]} | {sum(n)} |")
    return "\n".join(out)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repo", action="append", default=[], help="git dir (bare or .git) to mine; repeatable")
    p.add_argument("--name", help="repository name for a single --repo (default: from its path)")
    p.add_argument("--out-dir", default=os.path.join(DATA, "mined"))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-commits", type=int, default=3000, help="newest non-merge commits per repo")
    p.add_argument("--max-per-commit", type=int, default=4)
    p.add_argument("--max-per-repo", type=int, default=1500)
    p.add_argument("--split", action="store_true", help="hold back repos: move them to --heldout-dir")
    p.add_argument("--heldout-frac", type=float, default=0.05)
    p.add_argument("--heldout-dir", default=os.path.join(DATA, "heldout"))
    p.add_argument("--heldout-file", default=os.path.join(DATA, "heldout.jsonl"))
    p.add_argument("--stats", action="store_true", help="print markdown tables of the mined data (for DATA.md)")
    args = p.parse_args(argv)
    if not args.repo and not args.split and not args.stats:
        p.error("give --repo, --split or --stats")
    for git_dir in args.repo:
        repo = args.name if args.name and len(args.repo) == 1 else repo_name(git_dir)
        if repo.lower() in EXCLUDED_REPOS:
            print(f"refused {repo}: reserved for evaluation (models/train/reserved.txt)", file=sys.stderr)
            continue
        cases = mine_repo(git_dir, repo, args.seed, args.max_commits, args.max_per_commit, args.max_per_repo)
        kinds = Counter(c["kind"] for c in cases)
        write_jsonl(os.path.join(args.out_dir, file_stem(repo) + ".jsonl"), cases)
        print(f"{repo}: {len(cases)} cases {dict(kinds)}", file=sys.stderr)
    if args.split:
        held = split(args.out_dir, args.heldout_dir, args.heldout_file, args.heldout_frac, args.seed)
        print(f"held out: {', '.join(held) or '(none)'} -> {args.heldout_file}", file=sys.stderr)
    if args.stats:
        print(stats([args.out_dir, args.heldout_dir]))


if __name__ == "__main__":
    main()
