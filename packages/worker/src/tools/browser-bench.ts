// Node side of `npm run bench -- --browser wasm|webgpu`: serves the bench page
// and the model folders with Vite, opens headless Chromium and runs runBench in
// a module Web Worker there. Chromium is closed on success, error and Ctrl-C.
import { fileURLToPath } from 'node:url';
import type { EditCase } from '@nextedit/core';
import { openChromiumPage, type ChromiumPage } from './chromium.js';
import type { BenchRequest } from './bench-page/protocol.js';
import type { BenchSummary } from './run-bench.js';
import type { WasmThreads } from '../runtime/wasm-threads.js';

export interface BrowserBenchOptions {
  device: 'wasm' | 'webgpu';
  modelDir: string;
  draftDir: string;
  /** The folders as the user named them, for the header line. */
  names?: { model: string; draft: string };
  cases: EditCase[];
  keys: number;
  dtype?: 'fp32' | 'q8';
  /** WASM threads (default 'auto'). */
  threads?: WasmThreads;
  minConfidence?: number;
  adaptiveDraft?: boolean;
  warm?: boolean;
  /** runBench's own lines (the same as in Node). */
  log(line: string): void;
  /** Progress of the harness (server, browser, loading). */
  progress(line: string): void;
}

const pageRoot = fileURLToPath(new URL('./bench-page/', import.meta.url));

export async function runBrowserBench(opts: BrowserBenchOptions): Promise<BenchSummary> {
  let chromium: ChromiumPage | undefined;
  let interrupted = false;
  // Ctrl-C or a kill mid-run: close Chromium before exiting.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    opts.progress(`${signal}: closing Chromium`);
    void (chromium?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    chromium = await openChromiumPage({
      root: pageRoot,
      serve: { '/bench/model/': opts.modelDir, '/bench/draft/': opts.draftDir },
      log: opts.progress,
      setup: async (page) => {
        await page.exposeFunction('nxBenchLog', (kind: string, line: string) => (kind === 'log' ? opts.log : opts.progress)(line));
      },
    });
    const { page } = chromium;
    await page.waitForFunction(() => (window as unknown as { nxBench?: unknown }).nxBench !== undefined, undefined, { timeout: 60_000 });
    opts.progress(`running ${opts.cases.length} cases in a module worker (${opts.device})`);
    const request: BenchRequest = {
      device: opts.device,
      model: '/bench/model',
      draft: '/bench/draft',
      wasmPaths: '/ort/',
      cases: opts.cases,
      keys: opts.keys,
      dtype: opts.dtype,
      threads: opts.threads,
      minConfidence: opts.minConfidence,
      adaptiveDraft: opts.adaptiveDraft,
      warm: opts.warm,
      names: opts.names ?? { model: opts.modelDir, draft: opts.draftDir },
    };
    try {
      return (await page.evaluate((r) => (window as unknown as { nxBench(r: BenchRequest): Promise<BenchSummary> }).nxBench(r), request)) as BenchSummary;
    } catch (e) {
      if (interrupted) throw new Error('nextedit: bench interrupted', { cause: e });
      // One line (the worker's stack went to progress), naming folders, not URLs.
      const message = (e as Error).message
        .split('\n')[0]!
        .replace(/^page\.evaluate: (Error: )?/, '')
        .replaceAll(request.model, opts.modelDir.replace(/\/+$/, ''))
        .replaceAll(request.draft, opts.draftDir.replace(/\/+$/, ''));
      throw new Error(message, { cause: e });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await chromium?.close();
  }
}
