import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import synth_copy as sc  # noqa: E402


class SynthCopyTest(unittest.TestCase):
    def test_layout_matches_the_native_prompt_and_answer_edits_the_region(self):
        rng = random.Random(0)
        for i in range(200):
            ex = sc.example(i, rng, 4096)
            ids, start = ex["ids"], ex["loss_start"]
            self.assertEqual(ids[0], sc.FILE)
            self.assertEqual(ids[start - 2:start], [sc.END, sc.ANSWER])
            self.assertEqual(ids[-1], sc.END)
            region_at = ids.index(sc.REGION)
            region = [t for t in ids[region_at + 1:start - 2] if t != sc.CURSOR]
            self.assertEqual(ids[region_at + 1:start - 2].count(sc.CURSOR), 1)
            answer = ids[start:-1]
            self.assertNotEqual(answer, region)
            self.assertTrue(all(t >= sc.FIRST_ORDINARY for t in region + answer))


if __name__ == "__main__":
    unittest.main()
