// Main-thread side of the worker: a Predictor that forwards to the Web
// Worker, keeps at most one request running plus one pending (newer requests
// supersede older ones), and restarts a crashed, hung or silently dead worker
// (terminate() and close() fire no event: a heartbeat notices), backing off
// when restarts come in a row. Between the death and the restart the status
// is 'error' (then 'loading'), so a FallbackPredictor answers with the rules.
import { proxy, wrap, type Remote } from 'comlink';
import {
  abortError,
  type EditPrediction,
  type LoadProgress,
  type PredictOptions,
  type PredictRequest,
  type Predictor,
  type PredictorStatus,
  type WarmStats,
} from '@nextedit/core';
import type { LoadResult, ModelSource, WorkerApi } from './protocol.js';
import { withDefaults, type LoadSource } from './defaults.js';

export type { ModelSource } from './protocol.js';
export { DEFAULT_DRAFT, DEFAULT_MODEL, DEFAULT_MODELS_BASE, DEFAULT_WASM_PATHS, withDefaults, type LoadSource } from './defaults.js';

export interface WorkerPredictorOptions {
  createWorker?: () => Worker;
  /** A predict taking longer than this means the worker hung: restart it. */
  hangMs?: number;
  /** How often the worker is pinged, ms; 0 turns the heartbeat off. Default 1000. */
  heartbeatMs?: number;
  /**
   * A worker that answers nothing for this long has died silently: restart it.
   * Default 10000, while no request runs. While a model loads (one long
   * synchronous step) at least LOAD_GRACE_MS.
   */
  deadAfterMs?: number;
  /**
   * The same while a predict runs: the worker answers no ping then (its decode
   * loop yields only to promises, not to messages), so a long prediction must
   * not read as a death. Default 30000 (a worker that dies with a request in
   * flight is noticed this late; a prediction this long is of no use anyway).
   */
  deadWhileBusyMs?: number;
  /** Delay before the first restart, doubled for each restart in a row (at most MAX_RESTART_DELAY_MS). Default 500. */
  restartDelayMs?: number;
}

const LOAD_GRACE_MS = 60_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** A timer that does not keep Node alive (tests); browsers return a number. */
function unref<T>(timer: T): T {
  (timer as { unref?(): void }).unref?.();
  return timer;
}

export interface WorkerPredictorStats {
  requests: number;
  completed: number;
  cancelled: number;
  restarts: number;
  backend?: string;
  lastLatencyMs?: number;
  /** Warm-ups sent to the worker (while idle and ready). */
  warmups: number;
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
  private readonly counters: WorkerPredictorStats = { requests: 0, completed: 0, cancelled: 0, restarts: 0, warmups: 0 };
  private onProgress?: (p: LoadProgress) => void;
  private disposed = false;
  private heartbeat?: ReturnType<typeof setInterval>;
  /** When the current worker last answered anything. */
  private lastSeen = 0;
  private pinging = false;
  /** Restarts since the last answered request: the back-off's exponent. */
  private crashesInRow = 0;
  /** Bumped by load() and each crash: a scheduled restart that is no longer the latest does nothing. */
  private generation = 0;
  /** Fails the load in progress when its worker dies. */
  private loadDied?: (e: Error) => void;
  /** The current worker's draft: in use ('ready'), or why it is not; undefined while it loads. */
  private draftOutcome?: { error?: string };

  constructor(private readonly opts: WorkerPredictorOptions = {}) {}

  /** Loads `source` (nothing named: the bundled models, see `withDefaults`); resolves when ready. */
  load(source: LoadSource = {}, opts: { onProgress?(p: LoadProgress): void } = {}): Promise<void> {
    this.source = withDefaults(source);
    this.onProgress = opts.onProgress;
    this.generation++;
    this.ready = this.start();
    return this.ready;
  }

  /** WebGPU is gone for this worker: a fresh one on WASM, the fallback answering meanwhile (as on a crash). */
  private deviceLost(worker: Worker, why: string): void {
    if (this.worker !== worker || !this.source) return;
    this.source = { ...this.source, device: 'wasm' };
    this.crashed(worker, `${why}; using WASM`);
  }

  private loaded(r: LoadResult, source: ModelSource, note?: string): void {
    this.counters.backend = r.backend;
    this.setStatus({
      state: 'ready', backend: r.backend, ...(r.backendReason ? { backendReason: r.backendReason } : {}),
      ...(r.threads ? { threads: r.threads } : {}), model: source.model, error: r.fallback ?? note,
    });
    if (source.draft) this.showDraft();
  }

  /** The worker's draft is in use, or cannot be (`error`): the status says which once the model is ready. */
  private draftDone(worker: Worker, error?: string): void {
    if (this.worker !== worker || !this.source?.draft) return;
    this.draftOutcome = { error };
    if (this.current.state === 'ready') this.showDraft();
  }

  private showDraft(): void {
    const { draft: _, ...rest } = this.current;
    const outcome = this.draftOutcome;
    if (!outcome) return this.setStatus({ ...rest, draft: 'loading' });
    if (!outcome.error) return this.setStatus({ ...rest, draft: 'ready' });
    const why = `draft not used: ${outcome.error}`;
    this.setStatus({ ...rest, error: rest.error ? `${rest.error}; ${why}` : why });
  }

  private async start(note?: string): Promise<void> {
    const source = this.source!;
    this.teardownWorker();
    const worker = (this.opts.createWorker ?? defaultWorker)();
    this.worker = worker;
    // An uncaught error or a failed message means the worker is gone: restart.
    worker.addEventListener('error', () => this.crashed(worker, 'worker error'));
    worker.addEventListener('messageerror', () => this.crashed(worker, 'worker message error'));
    const api = wrap<WorkerApi>(worker);
    this.api = api;
    this.draftOutcome = undefined;
    this.setStatus({ state: 'loading', model: source.model, error: note });
    this.startHeartbeat(worker, api);
    try {
      const died = new Promise<never>((_, reject) => (this.loadDied = reject));
      const res = await Promise.race([
        api.load(
          source,
          proxy((p: LoadProgress) => {
            this.lastSeen = Date.now();
            this.onProgress?.(p);
            this.setStatus({ ...this.current, progress: p });
          }),
          proxy((why: string) => this.deviceLost(worker, why)),
          proxy((error?: string) => this.draftDone(worker, error)),
        ),
        died,
      ]);
      if (this.worker !== worker) return;
      this.loaded(res, source, note);
    } catch (e) {
      // A worker that died while loading fails this load; the restart reports on its own.
      if (this.worker !== worker) throw e;
      this.stopHeartbeat();
      this.setStatus({ state: 'error', model: source.model, error: (e as Error).message ?? String(e) });
      throw e;
    }
  }

  /** Pings the worker; one that answers nothing (ping, result, progress) for too long is dead. */
  private startHeartbeat(worker: Worker, api: Remote<WorkerApi>): void {
    this.stopHeartbeat();
    const every = this.opts.heartbeatMs ?? 1000;
    if (!every) return;
    this.lastSeen = Date.now();
    this.heartbeat = unref(
      setInterval(() => {
        if (this.worker !== worker) return;
        const dead = this.opts.deadAfterMs ?? 10_000;
        const limit = this.current.state === 'loading'
          ? Math.max(dead, LOAD_GRACE_MS)
          : this.running ? Math.max(dead, this.opts.deadWhileBusyMs ?? 30_000) : dead;
        if (Date.now() - this.lastSeen > limit) return this.crashed(worker, `worker stopped answering (${limit / 1000} s)`);
        if (this.pinging) return;
        this.pinging = true;
        api.ping().then(
          () => {
            if (this.worker === worker) this.lastSeen = Date.now();
          },
          () => undefined,
        ).finally(() => (this.pinging = false));
      }, every),
    );
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.pinging = false;
  }

  private crashed(worker: Worker, why: string): void {
    if (this.worker !== worker || this.disposed) return;
    this.counters.restarts++;
    this.crashesInRow++;
    const error = new Error(`nextedit: ${why}; restarting the worker`);
    // No dead promises: everything waiting on the dead worker fails now.
    this.failAll(error);
    this.loadDied?.(error);
    this.teardownWorker();
    const delay = Math.min(MAX_RESTART_DELAY_MS, (this.opts.restartDelayMs ?? 500) * 2 ** (this.crashesInRow - 1));
    this.setStatus({ state: 'error', model: this.source?.model, error: `${why}; restart ${this.counters.restarts} in ${delay / 1000} s` });
    const generation = ++this.generation;
    this.ready = new Promise<void>((r) => unref(setTimeout(r, delay))).then(() =>
      this.disposed || generation !== this.generation ? undefined : this.start(`restarted after ${why}`),
    );
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

  /**
   * Best effort, while the user pauses: the worker prefills what the next request
   * after `request` starts with. Skipped before the model is ready and while a
   * request runs or waits (it has the cache); a failure only leaves the next
   * request colder (a dead worker is the heartbeat's to notice). Resolves with what it
 * cost (undefined when skipped or failed).
   */
  async warm(request: PredictRequest, options: { signal?: { aborted: boolean } } = {}): Promise<WarmStats | undefined> {
    if (this.disposed || this.current.state !== 'ready' || this.running || this.pending || !this.api || options.signal?.aborted) return undefined;
    this.counters.warmups++;
    const worker = this.worker;
    try {
      const stats = await this.api.warm(request);
      if (this.worker === worker) this.lastSeen = Date.now();
      return stats;
    } catch {
      return undefined; // nothing to show and nothing lost
    }
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
    void (async () => {
      try {
        await this.ready;
        if (this.running !== job) return;
        // The worker now: a restart may have replaced the one there was when the job was queued.
        const worker = this.worker;
        if (this.opts.hangMs) this.hangTimer = setTimeout(() => worker && this.crashed(worker, 'worker hung'), this.opts.hangMs);
        const onPartial = job.options.onPartial;
        const result = await this.api!.predict(job.id, job.request, onPartial ? proxy(onPartial) : undefined);
        if (this.worker === worker) {
          this.lastSeen = Date.now();
          this.crashesInRow = 0;
        }
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
    this.stopHeartbeat();
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
