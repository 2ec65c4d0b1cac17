// Rolling a KV cache back: keep the first `length` positions of each
// `[1, heads, past, headDim]` tensor. transformers.js has no truncation API.
import { Tensor } from '@huggingface/transformers';

type Typed = Float32Array | Uint16Array | Int8Array | Uint8Array;

/** Slice axis 2 of a CPU tensor to `length` (a copy; the source stays valid). */
export function sliceCpu(t: Tensor, length: number, data: Typed = t.data as Typed): Tensor {
  const [b, heads, past, headDim] = t.dims as [number, number, number, number];
  const Ctor = data.constructor as new (n: number) => Typed;
  const out = new Ctor(b * heads * length * headDim);
  const rowsIn = past * headDim;
  const rowsOut = length * headDim;
  for (let h = 0; h < b * heads; h++) out.set(data.subarray(h * rowsIn, h * rowsIn + rowsOut), h * rowsOut);
  return new Tensor(t.type, out, [b, heads, length, headDim]);
}

/** Structural view of ORT-web's WebGPU device (no DOM GPU types in this build). */
interface GpuLike {
  createBuffer(d: { size: number; usage: number }): { destroy(): void };
  createCommandEncoder(): {
    copyBufferToBuffer(src: unknown, so: number, dst: unknown, doff: number, size: number): void;
    finish(): unknown;
  };
  queue: { submit(cmds: unknown[]): void };
}

const BYTES: Record<string, number> = { float32: 4, float16: 2 };

/**
 * Slice a GPU-resident tensor on ORT's own device without a CPU round trip:
 * one copyBufferToBuffer per head into a fresh buffer. Returns undefined when
 * that is not possible (then the caller downloads and slices on the CPU).
 */
export function sliceGpu(t: Tensor, length: number, device: GpuLike | undefined): Tensor | undefined {
  const ort = (t as unknown as { ort_tensor?: { gpuBuffer?: unknown } }).ort_tensor;
  const bytes = BYTES[t.type];
  if (!device || !ort?.gpuBuffer || !bytes) return undefined;
  const [b, heads, past, headDim] = t.dims as [number, number, number, number];
  const rowIn = past * headDim * bytes;
  const rowOut = length * headDim * bytes;
  // WebGPU: COPY_SRC 0x4 | COPY_DST 0x8 | STORAGE 0x80; sizes are 4-byte aligned.
  const size = Math.max(4, Math.ceil((b * heads * rowOut) / 4) * 4);
  const dst = device.createBuffer({ size, usage: 0x4 | 0x8 | 0x80 });
  const enc = device.createCommandEncoder();
  if (rowOut > 0) for (let h = 0; h < b * heads; h++) enc.copyBufferToBuffer(ort.gpuBuffer, h * rowIn, dst, h * rowOut, rowOut);
  device.queue.submit([enc.finish()]);
  const dims = [b, heads, length, headDim];
  // ORT's Tensor class (transformers.js's Tensor has no fromGpuBuffer).
  const OrtTensor = (ort as { constructor: { fromGpuBuffer?: (buf: unknown, o: object) => unknown } }).constructor;
  if (!OrtTensor.fromGpuBuffer) {
    dst.destroy();
    return undefined;
  }
  const sliced = OrtTensor.fromGpuBuffer(dst, {
    dataType: t.type,
    dims,
    // Needed so getData() works (logits never come through here, but debugging does).
    download: async () => {
      throw new Error('nextedit: download of a sliced GPU KV tensor is not supported');
    },
    dispose: () => dst.destroy(),
  });
  return wrapOrt(sliced);
}

/**
 * A transformers.js Tensor around an existing ORT tensor. Its constructor
 * drops an ORT tensor argument (4.3.1), so set the field directly.
 */
export function wrapOrt(ortTensor: unknown): Tensor {
  const t = new Tensor('float32', new Float32Array(0), [0]);
  (t as unknown as { ort_tensor: unknown }).ort_tensor = ortTensor;
  return t;
}
