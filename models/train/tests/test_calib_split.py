import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from calib_split import split  # noqa: E402


def rows(repo, n):
    return [{"id": f"{repo}-{i}", "source": {"repo": repo}} for i in range(n)]


class CalibSplitTest(unittest.TestCase):
    def test_caps_each_repository_and_alternates(self):
        calib, test = split({"a/x": rows("a/x", 10), "b/y": rows("b/y", 3)}, per_repo=6, seed=0)
        ids = [r["id"] for r in calib + test]
        self.assertEqual(len(ids), len(set(ids)))  # no case in both files
        self.assertEqual(sum(r["source"]["repo"] == "a/x" for r in calib + test), 6)
        self.assertEqual(sum(r["source"]["repo"] == "b/y" for r in calib + test), 3)
        self.assertEqual((len(calib), len(test)), (5, 4))

    def test_is_deterministic_per_seed(self):
        data = {"a/x": rows("a/x", 20)}
        self.assertEqual(split(data, 8, seed=1), split(data, 8, seed=1))
        self.assertNotEqual(split(data, 8, seed=1)[0], split(data, 8, seed=2)[0])

    def test_refuses_reserved_repositories(self):
        with self.assertRaises(SystemExit):
            split({"lodash/lodash": rows("lodash/lodash", 4)}, per_repo=4, seed=0)


if __name__ == "__main__":
    unittest.main()
