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

    def test_two_floors_from_weighed_answers(self):
        def case(made_by, exact, share=0.0, min_p=0.0):
            return {"answers": [{"made_by": made_by, "exact": exact, "edit": True, "share": share, "min_probability": min_p}]}
        rows = [case("model-verified", True, share=0.9), case("model-verified", True, share=0.8),
                case("model-verified", False, share=0.45), case("model", True, min_p=0.95),
                case("model", False, min_p=0.5), {"answers": [{"made_by": "model-verified", "exact": False, "edit": False,
                                                                "share": 0.99, "min_probability": 0.9}]}]
        t = calibrate.two_floor_table(rows)
        at = {(r["min_confidence"], r["min_verified"]): r for r in t}
        self.assertEqual(at[(0.0, 0.3)], {"min_confidence": 0.0, "min_verified": 0.3, "shown": 5, "exact": 3,
                                          "precision": 0.6, "verified": 3})
        # A no-edit pick is never shown; the best at >= 0.75 precision keeps both right candidates and the sure answer.
        self.assertEqual(calibrate.choose_two(t, 0.75, 2), {"min_confidence": 0.6, "min_verified": 0.5})
        self.assertEqual(calibrate.choose_two(t, 1.0, 9), {"min_confidence": 1.01, "min_verified": 1.01})


if __name__ == "__main__":
    unittest.main()
