import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import export  # noqa: E402
import import_onnx  # noqa: E402
import quantize  # noqa: E402

torch.set_num_threads(1)


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "model")
        # Export + onnxruntime-node parity check, then q8 + its check (both exit non-zero on mismatch).
        export.main(["--random", "tiny", "--out", cls.out, "--budget-json", '{"near":64,"history":32}'])
        quantize.main(["--model", cls.out])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_folder_is_in_hugging_face_layout(self):
        for f in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                  "onnx/model.onnx", "onnx/model_quantized.onnx"):
            self.assertTrue(os.path.exists(os.path.join(self.out, f)), f)
        cfg = json.load(open(os.path.join(self.out, "config.json")))
        self.assertEqual(cfg["model_type"], "llama")
        self.assertEqual(cfg["nextedit"]["prompt_format"], "native")
        self.assertEqual(cfg["nextedit"]["budget"], {"near": 64, "history": 32})

    def test_graph_has_transformers_js_cache_names_and_dynamic_axes(self):
        g = onnx.load(os.path.join(self.out, "onnx", "model.onnx")).graph
        inputs = {i.name: i for i in g.input}
        self.assertIn("past_key_values.1.value", inputs)
        self.assertIn("present.0.key", [o.name for o in g.output])
        dims = inputs["past_key_values.0.key"].type.tensor_type.shape.dim
        self.assertEqual([d.dim_param or d.dim_value for d in dims], ["batch_size", 2, "past_sequence_length", 16])

    def test_quantized_weights_are_int8_with_dequantize_nodes(self):
        m = onnx.load(os.path.join(self.out, "onnx", "model_quantized.onnx"))
        int8 = [i for i in m.graph.initializer if i.data_type == onnx.TensorProto.INT8]
        dq = [n for n in m.graph.node if n.op_type == "DequantizeLinear"]
        self.assertGreater(len(int8), 0)
        self.assertEqual(len(dq) * 2, len(int8))  # a weight and a zero point each
        fp32 = os.path.getsize(os.path.join(self.out, "onnx", "model.onnx"))
        self.assertLess(os.path.getsize(os.path.join(self.out, "onnx", "model_quantized.onnx")), fp32 / 2)

    def test_import_reads_the_weights_back_and_grows_the_vocabulary(self):
        # import_folder's parity with the ONNX logits is checked by onnxruntime-node (raises on mismatch).
        model, hf = import_onnx.import_folder(self.out)
        export.check(self.out, model)
        self.assertEqual(hf["model_type"], "llama")
        grown = import_onnx.grow_vocab(model, model.config.vocab_size + 8)
        old, new = model.state_dict()["embed_tokens.weight"], grown.state_dict()["embed_tokens.weight"]
        self.assertTrue(torch.equal(new[: old.shape[0]], old))
        self.assertTrue(torch.allclose(new[-1], old.mean(0)))
        ids = torch.tensor([[1, 2, 3, 4]])
        with torch.no_grad():
            self.assertTrue(torch.allclose(model(ids)[0], grown(ids)[0][..., : old.shape[0]], atol=1e-5))


class QuantizeInt8Test(unittest.TestCase):
    def test_per_channel_error_is_within_half_a_step(self):
        w = np.random.default_rng(0).normal(size=(32, 48)).astype(np.float32)
        w[:, 3] *= 100  # one loud channel must not cost the others precision
        q, scale = quantize.quantize_int8(w, axis=1)
        self.assertEqual(q.dtype, np.int8)
        err = np.abs(q.astype(np.float32) * scale[None, :] - w)
        self.assertTrue(np.all(err <= scale[None, :] / 2 + 1e-6))


if __name__ == "__main__":
    unittest.main()
