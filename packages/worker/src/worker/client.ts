// Main-thread side of the worker: a Predictor that forwards to the Web
// Worker, keeps at most one request running plus one pending (newer requests
// supersede older ones), and restarts a crashed or hung worker.
import { proxy, wrap, type Remote } from 'comlink';
import {
  abortError,
  type EditPrediction,
  type LoadProgress,
  type PredictOptions,
  type PredictRequest,
  type Predictor,
  type PredictorStatus,
} from '@nextedit/core';
import type { ModelSource, WorkerApi } from './protocol.js';

export type { ModelSource } from './protocol.js';

export interface WorkerPredictorOptions {
  createWorker?: () => Worker;
  /** A predict taking longer than this means the worker hung: restart it. */
  hangMs?: number;
}

export interface WorkerPredictorStats {
  requests: number;
  completed: number;
  cancelled: number;
  restarts: number;
  backend?: string;
  lastLatencyMs?: number;
}

interface Job {
  id: number;
  request: PredictRequest;
  options: PredictOptions;
  resolve(v: EditPrediction | null): void;
  reject(e: unknown): void;
  started?: number;
}

const defaultWorker = (): Worker => new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' });

export class WorkerPredictor implements Predictor {
  private worker?: Worker;
  private api?: Remote<WorkerApi>;
  private source?: ModelSource;
  private ready?: Promise<void>;
  private running?: Job;
  private pending?: Job;
  private nextId = 1;
  private hangTimer?: ReturnType<typeof setTimeout>;
  private current: PredictorStatus = { state: 'idle' };
  private readonly listeners = new Set<(s: PredictorStatus) => void>();
  private readonly counters: WorkerPredictorStats = { requests: 0, completed: 0, cancelled: 0, restarts: 0 };
  private onProgress?: (p: LoadProgress) => void;
  private disposed = false;

  constructor(private readonly opts: WorkerPredictorOptions = {}) {}

  load(source: ModelSource, opts: { onProgress?(p: LoadProgress): void } = {}): Promise<void> {
    this.source = source;
    this.onProgress = opts.onProgress;
    this.ready = this.start();
    return this.ready;
  }

  private async start(note?: string): Promise<void> {
    const source = this.source!;
    this.teardownWorker();
    const worker = (this.opts.createWorker ?? defaultWorker)();
    this.worker = worker;
    // An uncaught error or a failed message means the worker is gone: restart.
    worker.addEventListener('error', () => this.crashed(worker, 'worker error'));
    worker.addEventListener('messageerror', () => this.crashed(worker, 'worker message error'));
    this.api = wrap<WorkerApi>(worker);
    this.setStatus({ state: 'loading', model: source.model, error: note });
    try {
      const res = await this.api.load(
        source,
        proxy((p: LoadProgress) => {
          this.onProgress?.(p);
          this.setStatus({ ...this.current, progress: p });
        }),
      );
      if (this.worker !== worker) return;
      this.counters.backend = res.backend;
      this.setStatus({ state: 'ready', backend: res.backend, model: source.model, error: res.fallback ?? note });
    } catch (e) {
      if (this.worker !== worker) return;
      this.setStatus({ state: 'error', model: source.model, error: (e as Error).message ?? String(e) });
      throw e;
    }
  }

  private crashed(worker: Worker, why: string): void {
    if (this.worker !== worker || this.disposed) return;
    this.counters.restarts++;
    // No dead promises: everything waiting on the dead worker fails now.
    this.failAll(new Error(`nextedit: ${why}; restarting the worker`));
    this.ready = this.start(`restarted after ${why}`);
    this.ready.catch(() => undefined);
  }

  private failAll(e: Error): void {
    for (const job of [this.running, this.pending]) job?.reject(e);
    this.running = this.pending = undefined;
    clearTimeout(this.hangTimer);
  }

  predict(request: PredictRequest, options: PredictOptions = {}): Promise<EditPrediction | null> {
    if (this.disposed) return Promise.reject(new Error('nextedit: predictor disposed'));
    if (!this.source) return Promise.reject(new Error('nextedit: call load() before predict()'));
    this.counters.requests++;
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, request, options, resolve, reject };
      if (options.signal?.aborted) {
        this.counters.cancelled++;
        reject(abortError('nextedit: request aborted'));
        return;
      }
      options.signal?.addEventListener('abort', () => this.cancel(job, 'aborted'), { once: true });
      // A newer request supersedes both the pending one and the running one.
      if (this.pending) this.cancel(this.pending, 'superseded');
      if (this.running) this.cancel(this.running, 'superseded');
      this.pending = job;
      this.pump();
    });
  }

  private cancel(job: Job, why: string): void {
    if (this.pending === job) {
      this.pending = undefined;
    } else if (this.running === job) {
      // The worker finishes (or stops) on its own; the caller is answered now.
      void this.api?.abort(job.id);
    } else return;
    this.counters.cancelled++;
    job.reject(abortError(`nextedit: request ${why}`));
  }

  private pump(): void {
    if (this.running || !this.pending) return;
    const job = this.pending;
    this.pending = undefined;
    this.running = job;
    job.started = performance.now();
    const worker = this.worker;
    void (async () => {
      try {
        await this.ready;
        if (this.running !== job) return;
        if (this.opts.hangMs) this.hangTimer = setTimeout(() => worker && this.crashed(worker, 'worker hung'), this.opts.hangMs);
        const onPartial = job.options.onPartial;
        const result = await this.api!.predict(job.id, job.request, onPartial ? proxy(onPartial) : undefined);
        if (this.running === job) {
          this.counters.completed++;
          this.counters.lastLatencyMs = performance.now() - job.started!;
          job.resolve(result);
        }
      } catch (e) {
        if (this.running === job) job.reject(e);
      } finally {
        clearTimeout(this.hangTimer);
        if (this.running === job) this.running = undefined;
        // A superseded running job may still be in the worker: the next waits for it.
        if (!this.running) this.pump();
      }
    })();
  }

  status(): PredictorStatus {
    return this.current;
  }

  onStatus(listener: (s: PredictorStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): WorkerPredictorStats {
    return { ...this.counters };
  }

  /** The worker in use (tests kill it to check restarts). */
  get currentWorker(): Worker | undefined {
    return this.worker;
  }

  private setStatus(s: PredictorStatus): void {
    this.current = s;
    for (const l of this.listeners) l(s);
  }

  private teardownWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(abortError('nextedit: request disposed'));
    this.teardownWorker();
    this.setStatus({ state: 'idle' });
  }
}
