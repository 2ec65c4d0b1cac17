// The onnxruntime session options a model loads with.
import type { BackendName } from './device.js';

/**
 * q8 files hold int8 weights behind DequantizeLinear nodes, which ORT keeps in
 * the graph (for its QDQ fusions) and so runs on every pass: on WASM that made a
 * pass of the bundled student 3x slower than fp32 (`npm run bench -- --browser
 * wasm --dtype q8 --min-confidence 0 --limit 4 --keys 3`: greedy 50.3 s vs 16.1 s).
 * Turning the QDQ fusions off lets ORT fold them into fp32 weights once at load
 * (17.2 s): the download stays q8, memory becomes fp32's. So only for models
 * whose fp32 weights stay small; a larger q8 model keeps its int8 weights.
 * On WASM only: onnxruntime-node fuses them into its own int8 kernel
 * (MatMulNBits), as fast as fp32 here, and WebGPU is unmeasured (no GPU here).
 */
export const UNPACK_Q8_MAX_PARAMETERS = 64_000_000;

/** A decoder's weight count from its config.json (Llama / Qwen2 shape), or undefined where a field is missing. */
export function decoderParameters(config: Record<string, unknown>): number | undefined {
  const n = (key: string): number | undefined => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  const [vocab, hidden, layers, inner, heads] = [n('vocab_size'), n('hidden_size'), n('num_hidden_layers'), n('intermediate_size'), n('num_attention_heads')];
  if (!vocab || !hidden || !layers || !inner || !heads) return undefined;
  const headDim = n('head_dim') ?? hidden / heads;
  const kvHeads = n('num_key_value_heads') ?? heads;
  const attention = hidden * heads * headDim * 2 + hidden * kvHeads * headDim * 2;
  const embeddings = vocab * hidden * (config['tie_word_embeddings'] === false ? 2 : 1);
  return embeddings + layers * (attention + 3 * hidden * inner);
}

/** Whether a q8 model's weights are unpacked to fp32 at load (see UNPACK_Q8_MAX_PARAMETERS). */
export function unpacksQ8(config: Record<string, unknown>): boolean {
  const parameters = decoderParameters(config);
  return parameters !== undefined && parameters <= UNPACK_Q8_MAX_PARAMETERS;
}

/** Session options for transformers.js: Node's intra-op threads, and q8 unpacking for small models on WASM. */
export function sessionOptions(backend: BackendName, dtype: string, threads: number, config: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(backend === 'node' ? { intraOpNumThreads: threads } : {}),
    ...(backend === 'wasm' && dtype === 'q8' && unpacksQ8(config) ? { extra: { session: { disable_quant_qdq: '1' } } } : {}),
  };
}
