// Run decoder ONNX files on onnxruntime-node (the runtime the Node predictor
// uses; Debian has no onnxruntime for Python) and write their logits, so
// Python can compare them with its PyTorch reference (convert_hf.py, tests).
//
//   node models/train/run_onnx.mjs JOB.json
// JOB.json: {"runs": [{"model": "x/onnx/model.onnx", "out": "/tmp/x-fp32",
//            "layers": 2, "kv_heads": 2, "head_dim": 16, "optimization": "basic" (optional),
//            "steps": [{"input_ids": [...], "position_ids": [...]}, ...]}]}
// Steps run one after another on one cache (a step's presents are the next
// one's past). Writes OUT.STEP.f32 (the step's logits, float32 little-endian,
// [tokens, vocab]) and OUT.json ({"vocab", "steps": [{"rows", "past_shape"}]}).
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const i64 = (xs) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);

for (const run of job.runs) {
  // `optimization`: onnxruntime's graph optimization level (default: all, as the runtime loads it).
  const session = await ort.InferenceSession.create(run.model, run.optimization ? { graphOptimizationLevel: run.optimization } : {});
  let past = {};
  for (let i = 0; i < run.layers; i++)
    for (const n of ['key', 'value'])
      past[`past_key_values.${i}.${n}`] = new ort.Tensor('float32', new Float32Array(0), [1, run.kv_heads, 0, run.head_dim]);
  let length = 0;
  const meta = { vocab: 0, steps: [] };
  for (const [s, step] of run.steps.entries()) {
    const out = await session.run({
      input_ids: i64(step.input_ids),
      attention_mask: i64(Array(length + step.input_ids.length).fill(1)),
      position_ids: i64(step.position_ids ?? step.input_ids.map((_, j) => length + j)),
      ...past,
    });
    length += step.input_ids.length;
    const next = {};
    for (let i = 0; i < run.layers; i++)
      for (const n of ['key', 'value']) next[`past_key_values.${i}.${n}`] = out[`present.${i}.${n}`];
    past = next;
    const logits = out.logits;
    meta.vocab = logits.dims[2];
    meta.steps.push({ rows: logits.dims[1], past_shape: past['past_key_values.0.key'].dims });
    const data = logits.data;
    writeFileSync(`${run.out}.${s}.f32`, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  writeFileSync(`${run.out}.json`, JSON.stringify(meta));
  await session.release?.();
}
