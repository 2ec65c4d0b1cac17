// The real worker entry, plus a message that destroys its WebGPU device, which
// the device sees as a loss (GPUDevice.lost resolves), as a driver reset would.
import { env } from '@huggingface/transformers';
import '../../src/worker/worker-entry.js';

self.addEventListener('message', (e: MessageEvent) => {
  if (!(e.data as { nexteditTestLoseDevice?: boolean } | null)?.nexteditTestLoseDevice) return;
  const webgpu = (env.backends.onnx as { webgpu?: { device?: { destroy(): void } | Promise<{ destroy(): void }> } }).webgpu;
  void Promise.resolve(webgpu?.device).then((d) => d?.destroy());
});
