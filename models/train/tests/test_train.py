import json
import os
import subprocess
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from model import PRESETS, LlamaForCausalLM, load_checkpoint  # noqa: E402
import train  # noqa: E402

# Debian's torch 1.13 on Python 3.11 parses torchrun's default --redirects/--tee "0" to None
# (IntFlag no longer iterates its 0 member) and crashes; "1" (stdout) parses.
TORCHRUN_FIX = ["--redirects", "1", "--tee", "1"]

torch.set_num_threads(1)


def write_examples(path: str, n: int, seed: int = 0, positions: bool = False) -> None:
    """Copy task: the answer repeats the 'region' tokens, like most next-edit answers.
    `positions`: with the aligned positions format.ts writes (answer restarts at the region)."""
    g = torch.Generator().manual_seed(seed)
    with open(path, "w") as f:
        for i in range(n):
            region = torch.randint(20, 60, (8,), generator=g).tolist()
            prompt = [0, 11, 12, 4] + region + [6, 7]
            ex = {"id": str(i), "kind": "next", "ids": prompt + region + [6], "loss_start": len(prompt)}
            if positions:
                ex["positions"] = list(range(len(prompt) - 1)) + [3] + list(range(4, 4 + len(region) + 1))
            f.write(json.dumps(ex) + "\n")


class ModelTest(unittest.TestCase):
    def test_cached_forward_equals_full_forward(self):
        torch.manual_seed(0)
        m = LlamaForCausalLM(PRESETS["tiny"]).eval()
        x = torch.randint(0, 4096, (2, 12))
        full, _ = m(x)
        a, past = m(x[:, :7])
        b, _ = m(x[:, 7:], past=past)
        self.assertLess((torch.cat([a, b], 1) - full).abs().max().item(), 1e-5)

    def test_padding_mask_hides_left_padding(self):
        torch.manual_seed(0)
        m = LlamaForCausalLM(PRESETS["tiny"]).eval()
        x = torch.randint(11, 4096, (1, 6))
        plain, _ = m(x)
        padded = torch.cat([torch.full((1, 3), 10), x], 1)
        mask = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1, 1]])
        pos = torch.tensor([[0, 0, 0, 0, 1, 2, 3, 4, 5]])
        out, _ = m(padded, attention_mask=mask, position_ids=pos)
        self.assertLess((out[:, 3:] - plain).abs().max().item(), 1e-5)

    def test_gqa_presets_are_consistent(self):
        for name, c in PRESETS.items():
            self.assertEqual(c.num_attention_heads % c.num_key_value_heads, 0, name)
            self.assertEqual(c.hidden_size % c.num_attention_heads, 0, name)


class TrainTest(unittest.TestCase):
    def test_loss_falls_resumes_and_select_splits(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "train.jsonl")
            write_examples(data, 64)
            out = os.path.join(d, "run")
            args = ["--data", data, "--val", data, "--val-examples", "16", "--preset", "tiny", "--out", out,
                    "--batch-tokens", "512", "--lr", "3e-3", "--warmup", "5", "--log-every", "10",
                    "--eval-every", "40", "--save-every", "20"]
            train.main(args + ["--steps", "40"])
            first = [json.loads(line) for line in open(os.path.join(out, "log.jsonl")) if "val_loss" in line]
            _, ck = load_checkpoint(os.path.join(out, "last.pt"))
            self.assertEqual(ck["meta"]["steps"], 40)
            # Resume: continues from step 40, does not start over.
            train.main(args + ["--steps", "120"])
            _, ck = load_checkpoint(os.path.join(out, "last.pt"))
            self.assertEqual(ck["meta"]["steps"], 120)
            losses = [json.loads(line) for line in open(os.path.join(out, "log.jsonl")) if "val_loss" in line]
            self.assertLess(losses[-1]["val_loss"], first[0]["val_loss"] * 0.8)

            import importlib
            sel = importlib.import_module("select_examples")
            picked = os.path.join(d, "picked.jsonl")
            sel.main(["--checkpoint", os.path.join(out, "best.pt"), "--in", data, "--out", picked])
            kept = [json.loads(line) for line in open(picked)]
            self.assertLess(len(kept), 64)
            for ex in kept:
                self.assertLess(ex["acc"], 1.0)
                self.assertGreaterEqual(ex["nll"], 0.05)

    def test_time_schedule_anneals_within_the_time_limit(self):
        """--schedule time: the cosine follows the share of --time-limit spent, whatever the speed."""
        self.assertEqual(train.lr_at(0, 100, 1.0, 5, 0.9), 0.2)  # warmup first
        self.assertAlmostEqual(train.lr_at(50, 100, 1.0, 5, 0.0), 1.0)
        self.assertAlmostEqual(train.lr_at(50, 100, 1.0, 5, 0.5), 0.55)
        self.assertAlmostEqual(train.lr_at(6, 100, 1.0, 5, 1.0), 0.1)
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "train.jsonl")
            write_examples(data, 32)
            out = os.path.join(d, "run")
            train.main(["--data", data, "--preset", "tiny", "--out", out, "--batch-tokens", "512", "--lr", "1e-3",
                        "--warmup", "2", "--log-every", "1", "--steps", "1000000", "--schedule", "time",
                        "--time-limit", "0.1"])
            lrs = [json.loads(line)["lr"] for line in open(os.path.join(out, "log.jsonl")) if '"lr"' in line]
            self.assertGreater(len(lrs), 5)
            self.assertTrue(all(b <= a for a, b in zip(lrs[2:], lrs[3:])), lrs)  # decays after warmup
            # Most of the way down to the floor (a tenth) when time runs out; the last step's lr follows the
            # share spent one step earlier, so a loaded machine's slow steps leave it a little above.
            self.assertLess(lrs[-1], 0.3e-3)
            with self.assertRaises(SystemExit):
                train.main(["--data", data, "--out", out, "--schedule", "time"])  # needs --time-limit

    def test_aligned_positions_stage(self):
        with tempfile.TemporaryDirectory() as d:
            plain, aligned = os.path.join(d, "plain.jsonl"), os.path.join(d, "aligned.jsonl")
            write_examples(plain, 16)
            write_examples(aligned, 16, positions=True)
            common = ["--preset", "tiny", "--batch-tokens", "512", "--warmup", "2", "--log-every", "5", "--steps", "5"]
            first = os.path.join(d, "first")
            train.main(["--data", plain, "--out", first, *common])
            # Aligned positions need data that carries them: a clear error, not silent sequential training.
            with self.assertRaises(SystemExit) as e:
                train.main(["--data", plain, "--out", os.path.join(d, "bad"), "--positions", "aligned", *common])
            self.assertIn("positions", str(e.exception))
            # A new stage may switch to aligned positions; the checkpoint records it.
            second = os.path.join(d, "second")
            train.main(["--data", aligned, "--out", second, "--init", os.path.join(first, "last.pt"),
                        "--positions", "aligned", *common])
            _, ck = load_checkpoint(os.path.join(second, "last.pt"))
            self.assertEqual(ck["meta"]["positions"], "aligned")
            self.assertEqual(ck["meta"]["stages"][0]["positions"], "sequential")
            # The examples' positions reach the model: scoring with them differs from sequential.
            model, _ = load_checkpoint(os.path.join(second, "last.pt"))
            ex = train.read_examples(aligned, 1536, aligned=True)[0]
            with_pos = train.score_answer(model.eval(), ex).nll
            without = train.score_answer(model, (ex[0], ex[1], None)).nll
            self.assertNotAlmostEqual(with_pos, without, places=4)

    def test_a_packed_checkpoint_starts_the_next_stage(self):
        import pack_checkpoint
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "train.jsonl")
            write_examples(data, 16)
            common = ["--preset", "tiny", "--batch-tokens", "512", "--warmup", "2", "--log-every", "5", "--steps", "5"]
            train.main(["--data", data, "--out", os.path.join(d, "one"), *common])
            packed = os.path.join(d, "packed.pt")
            pack_checkpoint.pack(os.path.join(d, "one", "last.pt"), packed)
            ck = torch.load(packed)
            self.assertNotIn("optim", ck)
            self.assertTrue(all(v.dtype == torch.float16 for v in ck["model"].values() if v.is_floating_point()))
            model, full = load_checkpoint(os.path.join(d, "one", "last.pt"))
            train.main(["--data", data, "--out", os.path.join(d, "two"), "--init", packed, *common])
            _, two = load_checkpoint(os.path.join(d, "two", "last.pt"))
            self.assertEqual(two["meta"]["stages"][0]["steps"], 5)  # the packed stage is recorded
            # The new stage started from the packed weights (fp16 rounding apart).
            self.assertLess(os.path.getsize(packed), os.path.getsize(os.path.join(d, "one", "last.pt")) / 4)
            del model, full

    def test_two_processes_train_as_one_and_stay_identical(self):
        """torchrun, 2 CPU ranks (gloo): each reads its own batches, DistributedDataParallel keeps them equal."""
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "train.jsonl")
            write_examples(data, 32)
            out = os.path.join(d, "ddp")
            env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
            r = subprocess.run(["torchrun", "--nproc_per_node", "2", "--master_port", "29517", *TORCHRUN_FIX,
                                os.path.join(os.path.dirname(__file__), "..", "train.py"),
                                "--data", data, "--preset", "tiny", "--out", out, "--steps", "4", "--warmup", "1",
                                "--batch-tokens", "512", "--log-every", "2", "--save-all-ranks"],
                               env=env, capture_output=True, text=True, timeout=240)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])
            a = torch.load(os.path.join(out, "last.rank0.pt"))
            b = torch.load(os.path.join(out, "last.rank1.pt"))
            self.assertEqual(a["meta"]["steps"], 4)
            for k in a["model"]:
                self.assertTrue(torch.equal(a["model"][k], b["model"][k]), k)
            # Both ranks' batches count: more tokens than one rank's four batches could hold.
            self.assertGreater(a["meta"]["tokens"], 4 * 512)
            self.assertEqual(r.stderr.count("saved "), 1)  # rank 0 alone reports and saves last.pt

    def test_first_token_weight(self):
        # Two answers of 3 and 2 tokens (row 2 left-padded by a prompt token).
        mask = torch.tensor([[0, 1, 1, 1], [0, 0, 1, 1]], dtype=torch.float32)
        first = train.first_answer_tokens(mask)
        self.assertEqual(first.tolist(), [[False, True, False, False], [False, False, True, False]])
        model = LlamaForCausalLM(PRESETS["tiny"]).eval()
        ids = torch.tensor([[0, 21, 22, 23, 6], [0, 4, 31, 8, 9]])
        pos = torch.arange(5).repeat(2, 1)
        full = torch.cat([torch.zeros(2, 1), mask], dim=1)
        with torch.no_grad():
            loss, n, plain = train.loss_of(model, ids, full, pos)
            loss_w, _, weighted = train.loss_of(model, ids, full, pos, first_weight=10.0)
            # By hand: per-token NLL of the answer targets, first ones weighted 10.
            logits = model(ids[:, :-1], position_ids=pos[:, :-1])[0]
            nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1),
                                                    reduction="none").reshape(2, 4)
        w = mask + 9 * first.float()
        self.assertEqual(n, 5)
        self.assertAlmostEqual(loss.item(), (nll * mask).sum().item() / 5, places=4)
        self.assertAlmostEqual(loss_w.item(), loss.item(), places=6)  # the reported loss is the plain mean
        self.assertAlmostEqual(plain.item(), loss.item(), places=6)
        self.assertAlmostEqual(weighted.item(), (nll * w).sum().item() / w.sum().item(), places=4)

    def test_select_drops_trivial_and_far_off(self):
        import select_examples as sel
        scored = [{"nll": n, "acc": a} for n, a in
                  [(0.01, 1.0), (0.2, 0.9), (0.5, 0.8), (0.9, 0.6), (1.0, 0.5), (3.0, 0.5), (9.0, 0.0),
                   (0.3, 1.0), (0.7, 0.7), (0.8, 0.7)]]
        kept, summary = sel.select(scored, min_nll=0.05, far_quantile=0.8)
        self.assertEqual(summary["trivial"], 2)
        self.assertEqual(summary["far_off"], 1)
        self.assertTrue(all(0.05 <= s["nll"] <= summary["far_nll"] and s["acc"] < 1 for s in kept))


if __name__ == "__main__":
    unittest.main()
