import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import special_tokens as st  # noqa: E402
from bpe import BASE_SPECIAL_TOKENS, SPECIAL_TOKENS  # noqa: E402


class SpecialTokensTest(unittest.TestCase):
    def test_the_spec_numbers_every_special_token_and_the_base_ones_in_bpe_order(self):
        self.assertEqual(set(st.IDS), set(SPECIAL_TOKENS))
        self.assertEqual([st.IDS[t] for t in BASE_SPECIAL_TOKENS], list(range(len(BASE_SPECIAL_TOKENS))))
        self.assertEqual(st.FIRST_ORDINARY, len(BASE_SPECIAL_TOKENS))

    def test_named_ids_are_the_specs(self):
        self.assertEqual((st.REGION, st.CURSOR, st.ANSWER, st.PAD), tuple(st.IDS[t] for t in ("<|region|>", "<|cursor|>", "<|answer|>", "<|pad|>")))


if __name__ == "__main__":
    unittest.main()
