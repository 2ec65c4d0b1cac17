// CausalLM over a transformers.js model: direct forward passes with
// past_key_values, logits for every new position, the KV cache kept between
// requests and rolled back by slicing (transformers.js has no truncation API).
import { Tensor, env, type PreTrainedModel } from '@huggingface/transformers';
import { abortError, type AbortSignalLike, type CausalLM, type Logits } from '@nextedit/core';
import { sliceCpu, sliceGpu } from './kv-slice.js';

type Cache = Record<string, Tensor>;

function int64(values: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
}

async function cpuData(t: Tensor): Promise<Float32Array> {
  if (t.location === 'gpu-buffer') {
    // getData(true) downloads and releases the GPU buffer (without `true` it leaks).
    const ort = (t as unknown as { ort_tensor: { getData(release: boolean): Promise<unknown> } }).ort_tensor;
    return (await ort.getData(true)) as Float32Array;
  }
  return t.data as Float32Array;
}

function disposeTensor(t: Tensor): void {
  // CPU tensors are garbage collected; GPU buffers must be released explicitly.
  if (t.location === 'gpu-buffer') t.dispose();
}

export class TransformersCausalLM implements CausalLM {
  private cache: Cache | undefined;
  private len = 0;
  private readonly vocabSize: number;
  private queue: Promise<unknown> = Promise.resolve();

  /** `backend`: which runtime runs it (`node`, `wasm`, `webgpu`), for stats. */
  constructor(
    readonly model: PreTrainedModel,
    readonly backend: string,
  ) {
    const cfg = model.config as unknown as { vocab_size?: number };
    this.vocabSize = cfg.vocab_size ?? 0;
  }

  get length(): number {
    return this.len;
  }

  /** One thing at a time: forward and truncate both replace the cache. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  forward(tokens: number[], signal?: AbortSignalLike, positions?: number[]): Promise<Logits> {
    return this.serial(async () => {
      if (signal?.aborted) throw abortError();
      if (tokens.length === 0) return { data: new Float32Array(0), rows: 0, vocabSize: this.vocabSize };
      if (positions && positions.length !== tokens.length) throw new Error(`${positions.length} positions for ${tokens.length} tokens`);
      const past = this.len;
      const inputs: Record<string, unknown> = {
        input_ids: int64(tokens),
        attention_mask: int64(new Array(past + tokens.length).fill(1)),
        position_ids: int64(positions ?? tokens.map((_, i) => past + i)),
      };
      // Passed as one object: transformers.js fills in empty pasts unless `past_key_values` is set.
      if (this.cache) inputs.past_key_values = this.cache;
      const out = (await (this.model as unknown as { forward(i: object): Promise<Record<string, Tensor>> }).forward(
        inputs,
      )) as Record<string, Tensor>;
      const next: Cache = {};
      for (const [name, t] of Object.entries(out)) {
        if (name.startsWith('present')) next[name.replace('present', 'past_key_values')] = t;
      }
      this.replaceCache(next, past + tokens.length);
      const logits = out.logits!;
      const vocab = logits.dims[2]!;
      const data = await cpuData(logits);
      // A session may return fewer rows (num_logits_to_keep); keep the last `tokens.length`.
      const rows = tokens.length;
      const view = data.length === rows * vocab ? data : data.subarray(data.length - rows * vocab);
      if (signal?.aborted) throw abortError();
      return { data: view, rows, vocabSize: vocab };
    });
  }

  truncate(length: number): Promise<void> {
    return this.serial(async () => {
      if (length >= this.len || !this.cache) return;
      if (length <= 0) {
        this.replaceCache(undefined, 0);
        return;
      }
      const device = (env.backends.onnx as { webgpu?: { device?: unknown } }).webgpu?.device;
      const next: Cache = {};
      for (const [name, t] of Object.entries(this.cache)) {
        if (t.location === 'gpu-buffer') {
          // Prefer a copy on ORT's own device; fall back to download + slice.
          const gpu = sliceGpu(t, length, device as Parameters<typeof sliceGpu>[2]);
          if (gpu) next[name] = gpu;
          else {
            const ort = (t as unknown as { ort_tensor: { getData(): Promise<unknown> } }).ort_tensor;
            next[name] = sliceCpu(t, length, (await ort.getData()) as Float32Array);
          }
        } else next[name] = sliceCpu(t, length);
      }
      this.replaceCache(next, length);
    });
  }

  private replaceCache(next: Cache | undefined, length: number): void {
    const old = this.cache;
    this.cache = next;
    this.len = length;
    if (old) for (const t of Object.values(old)) if (!next || !Object.values(next).includes(t)) disposeTensor(t);
  }

  async dispose(): Promise<void> {
    await this.serial(async () => this.replaceCache(undefined, 0));
    await (this.model as unknown as { dispose(): Promise<unknown> }).dispose();
  }
}
