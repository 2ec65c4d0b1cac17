import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bpe import BASE_SPECIAL_TOKENS, SPECIAL_TOKENS, V2_SPECIAL_TOKENS, BPETokenizer, pretokenize, to_byte_chars, train  # noqa: E402

CORPUS = [
    "function add(a, b) {\n  return a + b;\n}\n",
    "function sub(a, b) {\n  return a - b;\n}\n",
    "def add(a, b):\n    return a + b\n",
] * 5


class PretokenizeTest(unittest.TestCase):
    def test_covers_every_char_and_splits_code(self):
        text = "  const fooBar = x1234 >= 5;\r\n\tif (y) {\n\n  }  \n"
        pieces = pretokenize(text)
        self.assertEqual("".join(pieces), text)
        self.assertIn(" fooBar", pieces)         # leading space attached to words
        self.assertIn("123", pieces)             # digits in runs of at most 3
        self.assertIn("4", pieces)
        self.assertIn(" >=", pieces)             # punctuation runs
        self.assertIn("\r\n", pieces)            # newlines apart from other whitespace
        self.assertIn("\n\n", pieces)

    def test_unicode_is_part_of_words(self):
        self.assertEqual(pretokenize("héllo 日本"), ["héllo", " 日本"])


class BPETest(unittest.TestCase):
    def setUp(self):
        self.tok = train(CORPUS, vocab_size=len(BASE_SPECIAL_TOKENS) + 256 + 20)

    def test_learns_merges_up_to_vocab_size(self):
        # vocab_size bounds the BPE part; the prompt formats' later special tokens follow it.
        self.assertEqual(len(self.tok.vocab), len(BASE_SPECIAL_TOKENS) + 256 + 20 + len(V2_SPECIAL_TOKENS))
        self.assertEqual(self.tok.vocab[V2_SPECIAL_TOKENS[0]], len(BASE_SPECIAL_TOKENS) + 256 + 20)
        self.assertIn(to_byte_chars(" return"), {a + b for a, b in self.tok.merges})

    def test_round_trip_and_compression(self):
        for text in CORPUS[:3] + ["unseen ünïcode 🚀\r\n", ""]:
            self.assertEqual(self.tok.decode(self.tok.encode(text)), text)
        self.assertLess(len(self.tok.encode(CORPUS[0])), len(CORPUS[0].encode()) / 2)

    def test_special_tokens_are_single_ids_at_fixed_positions(self):
        ids = self.tok.encode("a<|cursor|>b<|/region|>")
        self.assertIn(SPECIAL_TOKENS.index("<|cursor|>"), ids)
        self.assertIn(SPECIAL_TOKENS.index("<|/region|>"), ids)
        self.assertEqual(self.tok.decode(ids), "a<|cursor|>b<|/region|>")

    def test_hf_json_round_trip(self):
        again = BPETokenizer.from_hf_json(self.tok.to_hf_json())
        text = CORPUS[2] + "<|endoftext|>"
        self.assertEqual(again.encode(text), self.tok.encode(text))

    def test_shipped_tokenizer_appends_v2_tokens_after_its_merges(self):
        shipped = BPETokenizer.load(os.path.join(os.path.dirname(__file__), "..", "..", "tokenizer", "tokenizer.json"))
        self.assertEqual([shipped.vocab[t] for t in BASE_SPECIAL_TOKENS], list(range(len(BASE_SPECIAL_TOKENS))))
        self.assertEqual([shipped.vocab[t] for t in V2_SPECIAL_TOKENS], list(range(4096, 4096 + len(V2_SPECIAL_TOKENS))))
        grown = shipped.with_specials()
        self.assertEqual(grown.vocab, shipped.vocab)  # nothing missing: adding again changes nothing
        self.assertEqual(shipped.decode(shipped.encode("<|block_3|>x<|/block|>")), "<|block_3|>x<|/block|>")

    def test_training_is_deterministic(self):
        self.assertEqual(train(CORPUS, vocab_size=300).merges, train(CORPUS, vocab_size=300).merges)


if __name__ == "__main__":
    unittest.main()
