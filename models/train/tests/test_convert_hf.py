"""convert_hf.py on tiny random Qwen2 checkpoints written here (tiny_hf.py): nothing is downloaded.

Parity runs each ONNX file on onnxruntime-node (Debian has no onnxruntime for Python
and its onnx predates onnx.reference) against model.py's PyTorch forward (load_hf).
"""
import json
import os
import sys
import tempfile
import unittest
from unittest import mock

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import convert_hf  # noqa: E402
import safetensors_io  # noqa: E402
import tiny_hf  # noqa: E402
from model import LlamaConfig, LlamaForCausalLM, load_hf  # noqa: E402

torch.set_num_threads(1)


def quiet(_message: str) -> None:
    pass


def read_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class SafetensorsTest(unittest.TestCase):
    def test_round_trip_f32_f16_bf16_as_torch_rounds(self):
        x = np.random.default_rng(0).normal(size=(5, 7)).astype(np.float32) * 3
        x[0, 0], x[0, 1] = 1 + 2 ** -8, -(1 + 3 * 2 ** -8)  # ties: round to even
        with tempfile.TemporaryDirectory() as tmp:
            for kind, want in [("F32", x), ("F16", x.astype(np.float16).astype(np.float32)),
                               ("BF16", torch.from_numpy(x).to(torch.bfloat16).float().numpy())]:
                path = os.path.join(tmp, f"{kind}.safetensors")
                safetensors_io.save_file({"w": x, "ids": np.arange(4, dtype=np.int64)}, path, kind)
                f = safetensors_io.SafetensorsFile(path)
                self.assertEqual(f.dtype("w"), kind)
                self.assertEqual(f["w"].dtype, np.float32)
                np.testing.assert_array_equal(f["w"], want)
                np.testing.assert_array_equal(f["ids"], np.arange(4))
            bits = torch.from_numpy(x).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
            np.testing.assert_array_equal(safetensors_io.f32_to_bf16(x), bits)

    def test_refuses_a_header_or_range_that_does_not_fit(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.safetensors")
            with open(bad, "wb") as f:
                f.write((10 ** 6).to_bytes(8, "little") + b"{}")
            with self.assertRaisesRegex(ValueError, "header length"):
                safetensors_io.SafetensorsFile(bad)
            header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}).encode()
            with open(bad, "wb") as f:
                f.write(len(header).to_bytes(8, "little") + header + b"\0" * 8)
            with self.assertRaisesRegex(ValueError, "byte range"):
                safetensors_io.SafetensorsFile(bad)

    def test_reads_shards_named_by_the_index(self):
        with tempfile.TemporaryDirectory() as tmp:
            _, stored = tiny_hf.write_checkpoint(tmp, tied=False, dtype="F16", shards=3)
            ck = safetensors_io.open_checkpoint(tmp)
            self.assertEqual(len(ck.files), 3)
            self.assertEqual(sorted(ck), sorted(stored))
            np.testing.assert_array_equal(ck["lm_head.weight"], stored["lm_head.weight"])


class ReferenceTest(unittest.TestCase):
    """load_hf's decoder (model.py, Hugging Face names and biases) against a student built directly, and against itself with a cache."""

    def test_matches_the_llama_student_when_the_biases_are_zero(self):
        cfg = tiny_hf.tiny_config(tied=True)
        w = tiny_hf.random_weights(cfg)
        for name in w:
            if name.endswith("_proj.bias"):
                w[name] = np.zeros_like(w[name])
        ref = load_hf(cfg, w)
        student = LlamaForCausalLM(LlamaConfig(vocab_size=cfg["vocab_size"], hidden_size=cfg["hidden_size"],
                                               intermediate_size=cfg["intermediate_size"],
                                               num_hidden_layers=cfg["num_hidden_layers"],
                                               num_attention_heads=cfg["num_attention_heads"],
                                               num_key_value_heads=cfg["num_key_value_heads"],
                                               rope_theta=cfg["rope_theta"], rms_norm_eps=cfg["rms_norm_eps"]))
        student.load_state_dict({k[len("model."):] if k.startswith("model.") else k: torch.from_numpy(v)
                                 for k, v in w.items() if not k.endswith("_proj.bias")}, strict=False)
        ids = torch.randint(0, cfg["vocab_size"], (1, 12), generator=torch.Generator().manual_seed(0))
        pos = torch.tensor([[0, 1, 2, 3, 4, 5, 6, 7, 3, 4, 5, 6]])  # aligned layouts repeat positions
        with torch.no_grad():
            self.assertTrue(torch.allclose(ref(ids, position_ids=pos)[0], student(ids, position_ids=pos)[0], atol=1e-4))

    def test_reads_the_biases_qwen2_and_llama_configs_name(self):
        cfg = tiny_hf.tiny_config(tied=False)
        w = tiny_hf.random_weights(cfg, seed=2)
        ref = load_hf(cfg, w)
        self.assertEqual((ref.config.qkv_bias, ref.config.o_bias), (True, False))
        np.testing.assert_array_equal(ref.layers[1].self_attn.k_proj.bias.detach().numpy(), w["model.layers.1.self_attn.k_proj.bias"])
        np.testing.assert_array_equal(ref.lm_head.weight.detach().numpy(), w["lm_head.weight"])
        llama = LlamaConfig.from_hf({**cfg, "model_type": "llama", "attention_bias": True})
        self.assertEqual((llama.qkv_bias, llama.o_bias), (True, True))
        self.assertEqual(LlamaConfig.from_hf({**cfg, "head_dim": 32}).head_dim, 32)
        with self.assertRaisesRegex(KeyError, "q_proj.bias"):
            load_hf(cfg, {k: v for k, v in w.items() if k != "model.layers.0.self_attn.q_proj.bias"})

    def test_cached_steps_equal_one_full_forward(self):
        cfg = tiny_hf.tiny_config(tied=False)
        ref = load_hf(cfg, tiny_hf.random_weights(cfg, seed=3))
        ids = torch.randint(0, cfg["vocab_size"], (1, 10), generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            full, _ = ref(ids)
            a, past = ref(ids[:, :6])
            b, past = ref(ids[:, 6:], past=past)
        self.assertTrue(torch.allclose(torch.cat([a, b], 1), full, atol=1e-5))
        self.assertEqual(tuple(past[0][0].shape), (1, cfg["num_key_value_heads"], 10, 16))


class ConvertTest(unittest.TestCase):
    """A tied bf16 checkpoint in one file and an untied f32 one in two shards, each converted to fp32, q8 and q4."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.cases = {}
        for key, tied, dtype, shards in [("tied", True, "BF16", 1), ("untied", False, "F32", 2)]:
            src, out = os.path.join(cls.tmp.name, key), os.path.join(cls.tmp.name, key + "-onnx")
            tiny_hf.write_checkpoint(src, tied=tied, seed=len(cls.cases), dtype=dtype, shards=shards)
            sizes = convert_hf.convert(src, out, "sweep@1", list(convert_hf.FILES), log=quiet)
            cls.cases[key] = {"src": src, "out": out, "sizes": sizes,
                              "report": convert_hf.parity(out, src, list(convert_hf.FILES), log=quiet)}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_logits_match_pytorch_with_and_without_the_cache(self):
        for key, case in self.cases.items():
            r = case["report"]
            for dt in convert_hf.FILES:
                self.assertLess(r[dt]["exact"], 1e-4, (key, dt, r))  # the graph as written, on the file's weights
            self.assertLess(r["fp32"]["runtime"], 1e-4, (key, r))
            self.assertLess(r["q4"]["runtime"], 1e-4, (key, r))      # MatMulNBits computes in fp32
            self.assertLess(r["q8"]["runtime"], 0.02, (key, r))      # onnxruntime's int8 matmul
            self.assertLess(r["q8"]["vs_fp32"], 0.05, (key, r))
            self.assertLess(r["q4"]["vs_fp32"], 0.3, (key, r))
            self.assertGreaterEqual(r["q8"]["top1_vs_fp32"], 0.9, (key, r))
            # Random logits lie close together, so 4 bits reorder some: the first token is a weak measure here.
            self.assertGreaterEqual(r["q4"]["top1_vs_fp32"], 0.5, (key, r))

    def test_cached_steps_equal_one_uncached_forward_in_onnx(self):
        case = self.cases["untied"]
        _, c, _ = convert_hf.read_checkpoint(case["src"])
        steps = convert_hf.check_steps(c.vocab_size)[:2]
        whole = [{"input_ids": steps[0]["input_ids"] + steps[1]["input_ids"],
                  "position_ids": steps[0]["position_ids"] + steps[1]["position_ids"]}]
        for dt, f in convert_hf.FILES.items():
            path = os.path.join(case["out"], "onnx", f)
            got = convert_hf.onnx_logits({"split": path}, c, steps)["split"]
            full = convert_hf.onnx_logits({"full": path}, c, whole)["full"][0]
            np.testing.assert_allclose(np.concatenate(got), full, atol=1e-4 * np.abs(full).max(), err_msg=dt)

    def test_folder_is_in_hugging_face_layout_with_the_nextedit_block(self):
        out = self.cases["tied"]["out"]
        for f in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                  "special_tokens_map.json", "onnx/model.onnx", "onnx/model_quantized.onnx", "onnx/model_q4.onnx"):
            self.assertTrue(os.path.exists(os.path.join(out, f)), f)
        cfg = read_json(os.path.join(out, "config.json"))
        self.assertEqual((cfg["model_type"], cfg["architectures"]), ("qwen2", ["Qwen2ForCausalLM"]))
        self.assertEqual(cfg["nextedit"]["prompt_format"], "sweep")
        self.assertNotIn("prompt_format_version", cfg["nextedit"])
        self.assertEqual(cfg["nextedit"]["converted"]["architecture"], "Qwen2ForCausalLM")
        self.assertNotIn("transformers.js_config", cfg)
        tok = read_json(os.path.join(out, "tokenizer.json"))
        self.assertIn("<|file_sep|>", [t["content"] for t in tok["added_tokens"]])

    def test_graph_has_transformers_js_cache_names(self):
        g = onnx.load(os.path.join(self.cases["untied"]["out"], "onnx", "model_q4.onnx")).graph
        inputs = {i.name: i for i in g.input}
        self.assertEqual(list(inputs)[:3], ["input_ids", "attention_mask", "position_ids"])
        self.assertEqual([o.name for o in g.output][:3], ["logits", "present.0.key", "present.0.value"])
        dims = inputs["past_key_values.1.value"].type.tensor_type.shape.dim
        self.assertEqual([x.dim_param or x.dim_value for x in dims], ["batch_size", 2, "past_sequence_length", 16])

    def test_q4_is_matmulnbits_and_a_tied_model_stores_its_table_once(self):
        m = onnx.load(os.path.join(self.cases["tied"]["out"], "onnx", "model_q4.onnx"))
        nbits = [n for n in m.graph.node if n.op_type == "MatMulNBits"]
        self.assertEqual(len(nbits), 7 * 2 + 1)  # q, k, v, o, gate, up, down per layer, and the lm_head
        self.assertTrue(all(n.domain == "com.microsoft" for n in nbits))
        table = "model.embed_tokens.weight_q4"
        self.assertEqual([n.input[1] for n in nbits if n.output[0] == "logits"], [table])
        self.assertIn(table, [n.input[0] for n in m.graph.node if n.op_type == "Gather"])
        vocab, hidden = 288, 64
        big_floats = [i.name for i in m.graph.initializer
                      if i.data_type == onnx.TensorProto.FLOAT and np.prod(i.dims) >= vocab * hidden // 2]
        self.assertEqual(big_floats, [])

    def test_sizes_shrink_and_match_the_estimate(self):
        for key, case in self.cases.items():
            s = case["sizes"]
            self.assertLess(s["q4"], s["q8"])
            self.assertLess(s["q8"], s["fp32"] / 3)
            _, c, _ = convert_hf.read_checkpoint(case["src"])
            for dt, n in s.items():
                est = convert_hf.estimate_bytes(c, dt)
                self.assertTrue(est <= n <= est * 1.35 + 30_000, (key, dt, est, n))


class ExternalDataTest(unittest.TestCase):
    def test_large_files_keep_their_weights_in_chunks_transformers_js_fetches(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, out = os.path.join(tmp, "src"), os.path.join(tmp, "out")
            tiny_hf.write_checkpoint(src, tied=True, dtype="F32")
            with mock.patch.object(convert_hf, "INLINE_LIMIT", 0), mock.patch.object(convert_hf, "CHUNK_BYTES", 150_000):
                convert_hf.convert(src, out, "sweep@1", ["fp32", "q4"], log=quiet)
            files = sorted(os.listdir(os.path.join(out, "onnx")))
            self.assertIn("model.onnx_data", files)
            self.assertIn("model.onnx_data_1", files)
            cfg = read_json(os.path.join(out, "config.json"))
            chunks = cfg["transformers.js_config"]["use_external_data_format"]
            self.assertEqual(chunks["model.onnx"], len([f for f in files if f.startswith("model.onnx_data")]))
            self.assertIn("model_q4.onnx", chunks)
            report = convert_hf.parity(out, src, ["fp32", "q4"], log=quiet)
            self.assertLess(report["fp32"]["runtime"], 1e-4)


class RefusalTest(unittest.TestCase):
    def test_refuses_what_the_graph_does_not_compute(self):
        base = tiny_hf.tiny_config()
        for change, message in [({"rope_scaling": {"type": "yarn", "factor": 4.0}}, "rope_scaling"),
                                ({"use_sliding_window": True}, "sliding"), ({"model_type": "gpt2"}, "model_type"),
                                ({"hidden_act": "gelu"}, "hidden_act"), ({"num_key_value_heads": 3}, "split")]:
            with self.assertRaisesRegex(ValueError, message):
                LlamaConfig.from_hf({**base, **change})

    def test_a_sweep_model_needs_its_markers_as_tokens(self):
        with tempfile.TemporaryDirectory() as tmp:
            tiny_hf.write_checkpoint(tmp)
            path = os.path.join(tmp, "tokenizer.json")
            tok = read_json(path)
            tok["added_tokens"] = [t for t in tok["added_tokens"] if t["content"] != "<|file_sep|>"]
            with open(path, "w", encoding="utf-8") as f:
                json.dump(tok, f)
            with self.assertRaisesRegex(ValueError, "file_sep"):
                convert_hf.convert(tmp, os.path.join(tmp, "out"), "sweep@1", ["q4"], log=quiet)
            convert_hf.convert(tmp, os.path.join(tmp, "out"), "zeta1@1", ["q4"], log=quiet)  # zeta1's markers are text


if __name__ == "__main__":
    unittest.main()
