import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # test_train's example writer
import average_checkpoints  # noqa: E402
import pack_checkpoint  # noqa: E402
import train  # noqa: E402
from model import PRESETS, LlamaForCausalLM, load_checkpoint  # noqa: E402
from test_train import write_examples  # noqa: E402

torch.set_num_threads(1)


def save(path: str, seed: int, stages: list, config=PRESETS["tiny"], tokens: int = 100) -> LlamaForCausalLM:
    torch.manual_seed(seed)
    m = LlamaForCausalLM(config)
    meta = {"steps": 10, "tokens": tokens, "answer_tokens": 5, "examples": 3, "train_seconds": 1.5,
            "best_val_loss": 2.0, "data": [f"d{seed}.jsonl"], "stages": stages, "positions": "aligned"}
    torch.save({"config": config.to_dict(), "model": m.state_dict(), "meta": meta, "step": 10}, path)
    return m


class AverageCheckpointsTest(unittest.TestCase):
    def test_mean_weights_tied_once_and_summed_record(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.pt"), os.path.join(d, "b.pt")
            ma, mb = save(a, 1, [{"steps": 7}]), save(b, 2, [{"steps": 7}], tokens=50)
            out = os.path.join(d, "soup.pt")
            average_checkpoints.main([a, b, "--out", out])
            soup, ck = load_checkpoint(out)
            want = (ma.layers[0].mlp.up_proj.weight + mb.layers[0].mlp.up_proj.weight) / 2
            self.assertTrue(torch.allclose(soup.layers[0].mlp.up_proj.weight, want))
            self.assertIs(soup.lm_head.weight, soup.embed_tokens.weight)
            self.assertEqual(ck["meta"]["tokens"], 150)
            self.assertEqual(ck["meta"]["steps"], 20)
            self.assertEqual(ck["meta"]["stages"], [{"steps": 7}])
            self.assertEqual(ck["meta"]["data"], ["d1.jsonl", "d2.jsonl"])
            self.assertEqual([x["from"] for x in ck["meta"]["averaged"]], [a, b])

    def test_evaluates_inputs_and_the_mean(self):
        with tempfile.TemporaryDirectory() as d:
            a, b, val = os.path.join(d, "a.pt"), os.path.join(d, "b.pt"), os.path.join(d, "val.jsonl")
            save(a, 1, [{"steps": 7}]), save(b, 2, [{"steps": 7}])
            write_examples(val, 6, positions=True)
            out = os.path.join(d, "soup.pt")
            average_checkpoints.main([a, b, "--out", out, "--val", val])
            self.assertGreater(torch.load(out)["meta"]["best_val_loss"], 0)

    def test_next_stage_starts_from_the_mean_and_keeps_its_record(self):
        with tempfile.TemporaryDirectory() as d:
            a, b, data = os.path.join(d, "a.pt"), os.path.join(d, "b.pt"), os.path.join(d, "train.jsonl")
            save(a, 1, [{"steps": 7}]), save(b, 2, [{"steps": 7}])
            soup = os.path.join(d, "soup", "best.pt")
            average_checkpoints.main([a, b, "--out", soup])
            write_examples(data, 16, positions=True)
            run = os.path.join(d, "next")
            train.main(["--init", soup, "--data", data, "--preset", "tiny", "--positions", "aligned", "--steps", "2",
                        "--batch-tokens", "256", "--threads", "1", "--out", run])
            stages = torch.load(os.path.join(run, "last.pt"))["meta"]["stages"]
            self.assertEqual(stages[0], {"steps": 7})
            self.assertEqual(stages[1]["tokens"], 200)
            self.assertEqual([x["from"] for x in stages[1]["averaged"]], [a, b])
            packed = os.path.join(d, "packed.pt")
            pack_checkpoint.pack(soup, packed)
            self.assertEqual(torch.load(packed)["meta"]["tokens"], 200)

    def test_refuses_to_write_a_resumable_last_pt(self):
        with self.assertRaises(SystemExit):
            average_checkpoints.main(["x.pt", "y.pt", "--out", "run/last.pt"])

    def test_refuses_other_starting_points_and_configs(self):
        with tempfile.TemporaryDirectory() as d:
            a, b, c = (os.path.join(d, n) for n in ("a.pt", "b.pt", "c.pt"))
            save(a, 1, [{"steps": 7}]), save(b, 2, [{"steps": 8}]), save(c, 3, [{"steps": 7}], PRESETS["draft"])
            fresh, other = os.path.join(d, "fresh.pt"), os.path.join(d, "other.pt")
            save(fresh, 4, []), save(other, 5, [])
            with self.assertRaisesRegex(ValueError, "no earlier stage"):
                average_checkpoints.average([fresh, other])
            with self.assertRaisesRegex(ValueError, "same weights"):
                average_checkpoints.average([a, b])
            with self.assertRaisesRegex(ValueError, "another config"):
                average_checkpoints.average([a, c])
            with self.assertRaisesRegex(ValueError, "at least two"):
                average_checkpoints.average([a])


if __name__ == "__main__":
    unittest.main()
