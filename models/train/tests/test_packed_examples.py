import json
import lzma
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import packed_examples  # noqa: E402
import train  # noqa: E402
from model import load_checkpoint  # noqa: E402
from test_train import write_examples  # noqa: E402


class PackedExamplesTest(unittest.TestCase):
    def test_a_packed_file_reads_back_as_the_jsonl_does(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.jsonl"), os.path.join(d, "b.jsonl")
            write_examples(a, 7, seed=1, positions=True)
            write_examples(b, 5, seed=2, positions=True)
            # Positions that step back (the answer restarting at the region) and start above 0.
            with open(b, "a") as f:
                f.write(json.dumps({"ids": [0, 4, 30, 31, 7, 30, 5000], "loss_start": 5,
                                    "positions": [9, 10, 11, 12, 13, 11, 12]}) + "\n")
            out = os.path.join(d, "train.xz")
            header = packed_examples.pack([a, b], out)
            self.assertEqual((header["examples"], header["positions"]), (13, True))
            want = train.read_examples(a, 1536, aligned=True) + train.read_examples(b, 1536, aligned=True)
            self.assertEqual(packed_examples.read(out), want)
            self.assertEqual(train.read_examples(out, 1536, aligned=True), want)
            # Without positions, and the length filter applies as to JSONL.
            plain = os.path.join(d, "plain.jsonl")
            write_examples(plain, 4, seed=3)
            packed_examples.pack([plain], os.path.join(d, "plain.xz"))
            self.assertEqual(train.read_examples(os.path.join(d, "plain.xz"), 1536), train.read_examples(plain, 1536))
            self.assertEqual(train.read_examples(os.path.join(d, "plain.xz"), 10), [])

    def test_bad_inputs_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            mixed = os.path.join(d, "mixed.jsonl")
            with open(mixed, "w") as f:
                f.write(json.dumps({"ids": [1, 2, 3], "loss_start": 1, "positions": [0, 1, 2]}) + "\n")
                f.write(json.dumps({"ids": [1, 2, 3], "loss_start": 1}) + "\n")
            with self.assertRaises(SystemExit) as e:
                packed_examples.pack([mixed], os.path.join(d, "x.xz"))
            self.assertIn("positions", str(e.exception))
            self.assertFalse(os.path.exists(os.path.join(d, "x.xz")))
            big = os.path.join(d, "big.jsonl")
            with open(big, "w") as f:
                f.write(json.dumps({"ids": [1, 70000], "loss_start": 1}) + "\n")
            with self.assertRaises(SystemExit):
                packed_examples.pack([big], os.path.join(d, "y.xz"))
            # Not a packed file, and a cut-off one.
            other = os.path.join(d, "other.xz")
            with lzma.open(other, "wb") as f:
                f.write(b'{"format": "something else"}\n')
            with self.assertRaises(SystemExit):
                packed_examples.read(other)
            good = os.path.join(d, "good.jsonl")
            write_examples(good, 3)
            packed = os.path.join(d, "good.xz")
            packed_examples.pack([good], packed)
            with lzma.open(packed) as f:
                data = f.read()
            with lzma.open(packed, "wb") as f:
                f.write(data[:-5])
            with self.assertRaises(SystemExit) as e:
                packed_examples.read(packed)
            self.assertIn("truncated", str(e.exception))

    def test_train_runs_on_a_packed_file_on_the_named_device(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "train.jsonl")
            write_examples(data, 16, positions=True)
            packed = os.path.join(d, "train.xz")
            packed_examples.pack([data], packed)
            out = os.path.join(d, "run")
            train.main(["--data", packed, "--val", packed, "--val-examples", "4", "--preset", "tiny",
                        "--positions", "aligned", "--out", out, "--steps", "3", "--warmup", "1",
                        "--batch-tokens", "512", "--log-every", "1", "--device", "cpu"])
            _, ck = load_checkpoint(os.path.join(out, "last.pt"))
            self.assertEqual(ck["meta"]["steps"], 3)
            self.assertEqual(ck["meta"]["data"], ["train.xz"])


if __name__ == "__main__":
    unittest.main()
