import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import calibrate  # noqa: E402


class CalibrateTest(unittest.TestCase):
    def test_lowest_floor_that_meets_the_target(self):
        cases = {str(i): f"after {i}" for i in range(8)}
        # Sure guesses right, unsure ones wrong; one case held back (no prediction).
        confidence = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
        preds = [{"id": str(i), "prediction": f"after {i}" if i < 4 else "wrong", "confidence": c}
                 for i, c in enumerate(confidence)] + [{"id": "7", "prediction": None}]
        rows = calibrate.table(cases, preds)
        self.assertEqual(rows[0], {"floor": 0.0, "shown": 7, "exact": 4, "precision": round(4 / 7, 3)})
        # 0.3 keeps all 7 (4 right); 0.35 keeps 0.9..0.4 (4 of 6 = 0.67); 0.6 keeps 4 of 4.
        self.assertEqual(calibrate.choose(rows, 0.6, 3), 0.35)
        self.assertEqual(calibrate.choose(rows, 1.0, 3), 0.6)
        # Nothing reaches the target on enough suggestions: hold back nearly everything.
        self.assertEqual(calibrate.choose(rows, 1.0, 5), calibrate.FLOORS[-1])


if __name__ == "__main__":
    unittest.main()
