// Check an exported decoder with onnxruntime-node (the runtime users run):
// its logits match a reference (PyTorch's, or the fp32 graph's for a quantized
// one) within TOLERANCE x max|reference logit|, and prefill-then-cached forward
// equals one full forward. Called by export.py / quantize.py; exits 1 on failure.
//
//   node models/train/check_onnx.mjs MODEL.onnx REF.json [TOLERANCE]
//   node models/train/check_onnx.mjs --reference-from MODEL.onnx REF.json
// REF.json: {input_ids, logits (flat), vocab_size, num_hidden_layers, num_key_value_heads, head_dim}
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

const args = process.argv.slice(2);
const makeRef = args[0] === '--reference-from';
const [file, refPath, tolArg] = makeRef ? args.slice(1) : args;
if (!file || !refPath) {
  console.error('usage: node check_onnx.mjs [--reference-from] MODEL.onnx REF.json [TOLERANCE]');
  process.exit(2);
}

const session = await ort.InferenceSession.create(file);
const shape = makeRef ? shapeFromConfig(join(dirname(file), '..', 'config.json')) : JSON.parse(readFileSync(refPath, 'utf8'));
const { num_hidden_layers: layers, num_key_value_heads: kv, head_dim: hd, vocab_size: vocab } = shape;

function shapeFromConfig(path) {
  const c = JSON.parse(readFileSync(path, 'utf8'));
  const head_dim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  return { vocab_size: c.vocab_size, num_hidden_layers: c.num_hidden_layers, num_key_value_heads: c.num_key_value_heads, head_dim };
}

const i64 = (xs) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
function emptyPast() {
  const feeds = {};
  for (let i = 0; i < layers; i++)
    for (const n of ['key', 'value']) feeds[`past_key_values.${i}.${n}`] = new ort.Tensor('float32', new Float32Array(0), [1, kv, 0, hd]);
  return feeds;
}

async function run(ids, start, past) {
  const out = await session.run({
    input_ids: i64(ids),
    attention_mask: i64(Array(start + ids.length).fill(1)),
    position_ids: i64(ids.map((_, j) => start + j)),
    ...past,
  });
  const present = {};
  for (let i = 0; i < layers; i++)
    for (const n of ['key', 'value']) present[`past_key_values.${i}.${n}`] = out[`present.${i}.${n}`];
  return { logits: out.logits.data, present };
}

if (makeRef) {
  // Deterministic ordinary token ids (11.. are not special tokens).
  const ids = Array.from({ length: 24 }, (_, j) => 11 + ((j * 7919 + 13) % (vocab - 11)));
  const { logits } = await run(ids, 0, emptyPast());
  writeFileSync(refPath, JSON.stringify({ ...shape, input_ids: ids, logits: Array.from(logits) }));
  process.exit(0);
}

const ref = shape;
const tol = Number(tolArg ?? 1e-3);
const maxAbs = (a) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a, b) => a.reduce((m, x, j) => Math.max(m, Math.abs(x - b[j])), 0);
const ids = ref.input_ids;
const full = await run(ids, 0, emptyPast());
const split = 10;
const head = await run(ids.slice(0, split), 0, emptyPast());
const tail = await run(ids.slice(split), split, head.present);
const cached = new Float32Array(full.logits.length);
cached.set(head.logits, 0);
cached.set(tail.logits, split * vocab);

const scale = Math.max(1, maxAbs(ref.logits));
const vsRef = maxDiff(full.logits, ref.logits);
const vsFull = maxDiff(cached, full.logits);
console.error(`check_onnx: ${file}: max |logit - reference| ${vsRef.toExponential(2)} (limit ${(tol * scale).toExponential(2)}), ` +
  `max |cached - full| ${vsFull.toExponential(2)}`);
if (!(vsRef <= tol * scale && vsFull <= 1e-4 * scale)) {
  console.error('check_onnx: FAILED');
  process.exit(1);
}
