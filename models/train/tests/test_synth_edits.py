import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import synth_edits  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mirrors import stderr_on_mirror  # noqa: E402

CODE = """def total(items, tax):
    subtotal = sum(item.price for item in items)
    shipping = cost(items, 5)
    if subtotal > 100:
        shipping = cost(items, 0)
    return subtotal + shipping + tax(subtotal)
""" * 3


class SynthTest(unittest.TestCase):
    def check_case(self, case):
        # The events replay: the file before them, with every event applied, is `before`.
        self.assertNotEqual(case["before"], case["after"])
        self.assertTrue(case["events"])
        self.assertLessEqual(case["cursor"], len(case["before"]))

    def test_each_kind_makes_consistent_cases(self):
        rng = random.Random(0)
        made = {k: 0 for k in synth_edits.KINDS}
        for _ in range(200):
            for kind in synth_edits.KINDS:
                case = synth_edits.cases_for_file("o/r", "app.py", CODE, rng, kind)
                if case:
                    made[kind] += 1
                    self.check_case(case)
                    self.assertEqual(case["synth"], kind)
        self.assertTrue(all(n > 0 for n in made.values()), made)

    def test_rename_events_apply_and_the_answer_renames_the_next_use(self):
        rng = random.Random(3)
        for _ in range(50):
            case = synth_edits.cases_for_file("o/r", "app.py", CODE, rng, "rename")
            if not case:
                continue
            # Undo nothing: the last event's new line is in `before`, its old line was the original.
            last = case["events"][-1]
            new_line = [ln[1:] for ln in last.split("\n") if ln.startswith("+") and not ln.startswith("+++")][0]
            self.assertIn(new_line, case["before"])
            # The answer changes exactly one more line.
            changed = [a != b for a, b in zip(case["before"].split("\n"), case["after"].split("\n"))]
            self.assertEqual(sum(changed), 1)
            return
        self.fail("no rename case made")

    def test_python_gets_python_operators(self):
        rng = random.Random(1)
        for _ in range(300):
            case = synth_edits.cases_for_file("o/r", "app.py", CODE, rng, "literal")
            if case:
                self.assertNotIn("===", case["after"])

    def test_refuses_reserved_repositories(self):
        written = []

        def run(work, tmp):
            synth_edits.main(["--repo", work, "--out", os.path.join(tmp, "s.jsonl")])
            with open(os.path.join(tmp, "s.jsonl")) as f:
                written.append(f.read())
        err = stderr_on_mirror("lodash+lodash", run)
        self.assertIn("refused lodash/lodash", err)
        self.assertEqual(written, [""])


if __name__ == "__main__":
    unittest.main()
