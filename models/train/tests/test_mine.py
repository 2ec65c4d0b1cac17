import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mine  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mirrors import stderr_on_mirror  # noqa: E402

OLD = "".join(f"line {i}\n" for i in range(30))
NEW = (OLD.replace("line 3\n", "line three\n")
       .replace("line 10\n", "line 10\nconst inserted = computeSomething(alpha, beta);\n")
       .replace("line 20\n", "line twenty\n"))


def apply_event(text: str, event: str) -> str:
    """Apply a zero-context one-hunk diff as rendered by mine.render_hunk."""
    header = re.search(r"@@ -(\d+),(\d+) \+(\d+),(\d+) @@\n", event)
    assert header
    start, n_old = int(header.group(1)) - 1, int(header.group(2))
    body = event[header.end():].replace("\n\\ No newline at end of file\n", "")
    body_lines = mine.split_lines(body)
    old = [ln[1:] for ln in body_lines if ln.startswith("-")]
    new = [ln[1:] for ln in body_lines if ln.startswith("+")]
    lines = mine.split_lines(text)
    assert lines[start:start + n_old] == old, (lines[start:start + n_old], old)
    return "".join(lines[:start] + new + lines[start + n_old:])


class HunkTest(unittest.TestCase):
    def test_split_lines_keeps_crlf(self):
        self.assertEqual(mine.split_lines("a\r\nb\nc"), ["a\r\n", "b\n", "c"])

    def test_hunks_in_file_order(self):
        fc = mine.FileChange("a.ts", OLD, NEW)
        self.assertEqual([fc.texts(i) for i in range(3)], [
            ("line 3\n", "line three\n"),
            ("", "const inserted = computeSomething(alpha, beta);\n"),
            ("line 20\n", "line twenty\n"),
        ])

    def test_states_and_events_shift_lines(self):
        fc = mine.FileChange("a.ts", OLD, NEW)
        self.assertEqual(fc.state({0, 1, 2})[0], NEW)
        self.assertEqual(fc.state(set())[0], OLD)
        # After the insertion (hunk 1) the third hunk sits one line lower.
        self.assertEqual(fc.event({1}, 2), "--- a/a.ts\n+++ b/a.ts\n@@ -22,1 +22,1 @@\n-line 20\n+line twenty\n")
        self.assertEqual(fc.event(set(), 1), "--- a/a.ts\n+++ b/a.ts\n@@ -12,0 +12,1 @@\n+const inserted = computeSomething(alpha, beta);\n")

    def test_missing_final_newline_is_marked(self):
        self.assertIn("\\ No newline at end of file", mine.render_hunk("p", 1, ["a"], ["b"]))


class FilterTest(unittest.TestCase):
    def test_whitespace_only(self):
        self.assertTrue(mine.is_whitespace_only("  a = 1\n", "a = 1\n"))
        self.assertFalse(mine.is_whitespace_only("a = 1\n", "a = 2\n"))
        fc = mine.FileChange("a.py", "x = 1\ny = 2\n", "x = 1\n    y = 2\n")
        self.assertEqual(mine.file_cases("r", "c", fc, random.Random(0)), [])

    def test_skipped_paths(self):
        for path in ("node_modules/x/a.js", "dist/a.js", "lib/a.min.js", "types/a.d.ts", "package-lock.json"):
            self.assertTrue(mine.SKIP_PATH.search(path), path)
        self.assertFalse(mine.SKIP_PATH.search("src/builder.ts"))

    def test_decode_source_rejects_binary_and_huge(self):
        self.assertIsNone(mine.decode_source(b"a\0b"))
        self.assertIsNone(mine.decode_source(b"x\n" * (mine.MAX_FILE_LINES + 1)))
        self.assertIsNone(mine.decode_source(b"x" * (mine.MAX_FILE_BYTES + 1)))
        self.assertEqual(mine.decode_source(b"ok\n"), "ok\n")

    def test_resembles(self):
        self.assertTrue(mine.resembles(("foo(a)\n", "bar(a)\n"), ("x = foo\n", "x = bar\n")))
        self.assertFalse(mine.resembles(("foo(a)\n", "bar(a)\n"), ("x = 1\n", "y = 2\n")))


class KindsTest(unittest.TestCase):
    def cases(self, old: str, new: str) -> list[dict]:
        fc = mine.FileChange("src/a.ts", old, new)
        order = list(range(len(fc.hunks)))
        substantive = set(order)
        return (mine.next_cases("o/r", "c0", fc, order, substantive)
                + mine.complete_cases("o/r", "c0", fc, order, substantive, random.Random(1)))

    def check_consistent(self, case: dict, original: str) -> None:
        text = original
        for event in case["events"]:
            text = apply_event(text, event)
        self.assertEqual(text, case["before"])
        self.assertNotEqual(case["before"], case["after"])
        for key in ("id", "kind", "language", "path", "events", "before", "cursor", "after", "distance_lines", "source"):
            self.assertIn(key, case)

    def test_next_and_complete(self):
        cases = self.cases(OLD, NEW)
        kinds = [c["kind"] for c in cases]
        self.assertEqual(kinds.count("next"), 2)
        self.assertEqual(kinds.count("complete"), 1)  # only the insertion is long enough
        for c in cases:
            self.check_consistent(c, OLD)
        first = cases[0]
        self.assertEqual(first["after"], OLD.replace("line 3\n", "line three\n").replace(
            "line 10\n", "line 10\nconst inserted = computeSomething(alpha, beta);\n"))
        # Cursor at the end of the line just edited (line 3), the answer on line 11.
        self.assertTrue(first["before"][:first["cursor"]].endswith("\nline three"))
        self.assertEqual(first["distance_lines"], 11 - 3)
        comp = next(c for c in cases if c["kind"] == "complete")
        typed = comp["before"][:comp["cursor"]].split("\n")[-1]
        self.assertTrue("const inserted = computeSomething(alpha, beta);".startswith(typed) and 0 < len(typed) < 47)
        self.assertEqual(comp["distance_lines"], 0)

    def test_complete_only_from_insertions(self):
        # A replaced line cut half-way would be "finished" by restoring the deleted text.
        old = "const total = computeSomething(alpha, beta);\nx = 1\n"
        new = "const total = computeSomethingElse(alpha, beta, gamma);\nx = 1\n"
        self.assertEqual([c["kind"] for c in self.cases(old, new) if c["kind"] == "complete"], [])
        for c in self.cases(OLD, NEW):
            if c["kind"] == "complete":
                self.assertRegex(c["events"][-1], r"@@ -\d+,0 ")

    def test_repeat(self):
        old = "a = foo(1)\nb = 2\nc = 3\nd = foo(4)\n"
        new = "a = bar(1)\nb = 2\nc = 3\nd = bar(4)\n"
        cases = self.cases(old, new)
        self.assertEqual([c["kind"] for c in cases if c["kind"] != "complete"], ["repeat"])

    def test_cursor_is_utf16(self):
        old = "x = '😀'\ny = 1\nz = 2\nw = 3\n"
        new = "x = '😀😀'\ny = 1\nz = 2\nw = 4\n"
        case = self.cases(old, new)[0]
        # The cursor is after two astral chars: each counts 2 in UTF-16.
        self.assertEqual(case["cursor"], len("x = '😀😀'") + 2)


class EndToEndTest(unittest.TestCase):
    def test_mines_a_git_repo_and_splits(self):
        with tempfile.TemporaryDirectory() as tmp:
            work = os.path.join(tmp, "proj")
            os.makedirs(work)
            git = ["git", "-C", work, "-c", "user.name=t", "-c", "user.email=t@t"]
            subprocess.run(git[:3] + ["init", "-q"], check=True)
            for name, text in (("src/a.ts", OLD), ("dist/a.js", OLD)):
                os.makedirs(os.path.dirname(os.path.join(work, name)), exist_ok=True)
                with open(os.path.join(work, name), "w") as f:
                    f.write(text)
            subprocess.run(git + ["add", "."], check=True)
            subprocess.run(git + ["commit", "-qm", "one"], check=True)
            for name in ("src/a.ts", "dist/a.js"):
                with open(os.path.join(work, name), "w") as f:
                    f.write(NEW)
            subprocess.run(git + ["commit", "-qam", "two"], check=True)
            out = os.path.join(tmp, "mined")
            args = ["--repo", os.path.join(work, ".git"), "--out-dir", out, "--split",
                    "--heldout-dir", os.path.join(tmp, "held"), "--heldout-file", os.path.join(tmp, "held.jsonl")]
            mine.main(args)
            with open(os.path.join(out, "proj.jsonl")) as f:
                cases = [json.loads(line) for line in f]
            self.assertTrue(cases)
            self.assertEqual({c["path"] for c in cases}, {"src/a.ts"})  # dist/ filtered
            self.assertLessEqual(len(cases), 4)  # per-commit cap
            again = os.path.join(tmp, "again")
            mine.main(["--repo", os.path.join(work, ".git"), "--out-dir", again])
            with open(os.path.join(again, "proj.jsonl")) as f:
                self.assertEqual([json.loads(line) for line in f], cases)  # deterministic

    def test_refuses_reserved_repositories(self):
        """Every repository of the evaluation sets is refused by name, whatever its case or mirror path."""
        reserved = mine.reserved_repos()
        for name in ("pmndrs/jotai", "sqlalchemy/sqlalchemy", "expressjs/express", "psf/requests", "sindresorhus/got"):
            self.assertIn(name.lower(), reserved)
        self.assertEqual(len(reserved), 33)
        written = []

        def run(work, tmp):
            mine.main(["--repo", work, "--out-dir", os.path.join(tmp, "mined")])
            written.append(os.path.exists(os.path.join(tmp, "mined")))
        err = stderr_on_mirror("TanStack+query", run)
        self.assertIn("refused TanStack/query", err)
        self.assertEqual(written, [False])

    def test_split_holds_back_whole_repos(self):
        with tempfile.TemporaryDirectory() as tmp:
            mined, held = os.path.join(tmp, "mined"), os.path.join(tmp, "held")
            for i in range(4):
                mine.write_jsonl(os.path.join(mined, f"o__r{i}.jsonl"), [{"id": str(i)}])
            names = mine.split(mined, held, os.path.join(tmp, "held.jsonl"), 0.05, 0)
            self.assertEqual(len(names), 1)
            self.assertEqual(len(os.listdir(mined)), 3)
            self.assertEqual(os.listdir(held), [names[0].replace("/", "__") + ".jsonl"])
            # Re-running keeps the same choice, also after the held-out repo was mined again.
            stem = names[0].replace("/", "__")
            mine.write_jsonl(os.path.join(mined, stem + ".jsonl"), [{"id": "new"}])
            self.assertEqual(mine.split(mined, held, os.path.join(tmp, "held.jsonl"), 0.05, 0), names)
            with open(os.path.join(tmp, "held.jsonl")) as f:
                self.assertEqual(f.read(), '{"id": "new"}\n')
            self.assertEqual(len(os.listdir(mined)), 3)


if __name__ == "__main__":
    unittest.main()
