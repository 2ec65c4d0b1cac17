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

    def test_floors_from_weighed_answers(self):
        def own(exact, min_p, edit=True):
            return {"made_by": "model", "exact": exact, "edit": edit, "min_probability": min_p, "first_probability": 1.0}

        def cand(exact, pref, loc):
            return {"made_by": "model-verified", "exact": exact, "edit": True, "min_probability": 0.0,
                    "first_probability": loc, "preference": pref}
        rows = [{"answers": [own(False, 0.1), cand(True, 0.95, 0.5)]},
                {"answers": [own(False, 0.1), cand(True, 0.9, 0.2)]},
                {"answers": [own(False, 0.1), cand(False, 0.7, 0.5)]},
                {"answers": [own(True, 0.95)]},
                {"answers": [own(False, 0.6)]},
                {"answers": [own(False, 0.99, edit=False), cand(True, 0.99, 0.9)]}]  # a sure no-edit wins
        t = calibrate.two_floor_table(rows)
        at = {(r["min_confidence"], r["min_verified"], r["min_location"]): r for r in t}
        self.assertEqual(at[(0.0, 0.5, 0.0)]["shown"], 5)  # every own answer is shown at floor 0; no-edit never
        self.assertEqual(at[(0.9, 0.9, 0.0)], {"own_answers": "any", "min_confidence": 0.9, "min_verified": 0.9, "min_location": 0.0,
                                               "shown": 3, "exact": 3, "precision": 1.0, "verified": 2})
        best = calibrate.choose_two(t, 0.75, 2)
        self.assertEqual(calibrate.shown_by(rows[1]["answers"], best["min_confidence"], best["min_verified"],
                                            best["min_location"])["exact"], True)
        self.assertEqual(calibrate.choose_two(t, 1.0, 9)["min_verified"], 1.01)

    def test_own_answers_gate_holds_back_rewrites_and_lets_candidates_speak(self):
        rewrite = {"made_by": "model", "exact": False, "edit": True, "min_probability": 0.9, "first_probability": 1.0}
        finish = {**rewrite, "exact": True, "line_completion": True}
        cand = {"made_by": "model-verified", "exact": True, "edit": True, "min_probability": 0.0,
                "first_probability": 0.5, "preference": 0.8}
        self.assertIs(calibrate.shown_by([rewrite, cand], 0.5, 0.5, 0.0), rewrite)
        self.assertIs(calibrate.shown_by([rewrite, cand], 0.5, 0.5, 0.0, "line-completion"), cand)
        self.assertIs(calibrate.shown_by([finish, cand], 0.5, 0.5, 0.0, "line-completion"), finish)
        # An answer that undoes the user shows nothing, and does not fall through to candidates.
        undo = {**finish, "suggestable": False}
        self.assertIsNone(calibrate.shown_by([undo, cand], 0.5, 0.5, 0.0, "line-completion"))
        # Where the gate is what reaches the target, calibration picks it and says so.
        right_rewrite = {**rewrite, "exact": True}
        rows = [{"answers": [right_rewrite]}, {"answers": [rewrite]}, {"answers": [finish]}, {"answers": [finish]}]
        t = calibrate.two_floor_table(rows, calibrate.OWN_ANSWERS)
        self.assertEqual(calibrate.choose_two(t, 0.9, 2)["own_answers"], "line-completion")  # 2 of 2 right
        self.assertEqual(calibrate.choose_two(t, 0.7, 2)["own_answers"], "any")  # 3 of 4 right: more hits


if __name__ == "__main__":
    unittest.main()
