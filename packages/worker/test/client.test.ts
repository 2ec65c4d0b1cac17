// WorkerPredictor against a scripted worker (comlink over a MessageChannel):
// a failed request never blocks the next one, and a worker that dies silently
// (terminate() and close() fire no event) is noticed, restarted with back-off,
// the rules answering meanwhile. browser.test.ts does the same with the real worker.
import { expose } from 'comlink';
import { FallbackPredictor, type EditPrediction, type PredictRequest, type Predictor } from '@nextedit/core';
import { describe, expect, it } from 'vitest';
import { WorkerPredictor } from '../src/worker/client.js';
import type { WorkerApi } from '../src/worker/protocol.js';

const request: PredictRequest = { path: 'a.ts', text: 'let a = 1;\n', cursor: 3, events: [] };
const answer = (backend: string): EditPrediction => ({
  edits: [{ from: 0, to: 0, insert: backend }],
  stats: { latencyMs: 1, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0, backend },
});
const rules: Predictor = { predict: async () => answer('rules') };
const never = () => new Promise<never>(() => undefined);

/**
 * A worker whose predict runs `script`; `die()` makes it answer nothing ever again, as a terminated one.
 * `pingsWait`: a ping is answered only once the running predict ends, as a real worker decoding is.
 */
function scriptedWorker(script: (n: number) => Promise<EditPrediction | null>, { pingsWait = false } = {}) {
  const made: { die(): void }[] = [];
  const create = () => {
    const { port1, port2 } = new MessageChannel();
    let dead = false;
    let calls = 0;
    let busy: Promise<unknown> | undefined;
    const api: WorkerApi = {
      load: async () => (dead ? never() : { backend: 'fake' }),
      predict: async () => {
        if (dead) return never();
        const run = script(calls++);
        if (pingsWait) busy = run.finally(() => (busy = undefined));
        return run;
      },
      abort: () => undefined,
      warm: async () => undefined,
      // Through comlink a ping is awaited anyway, so a double may answer it late.
      ping: (async () => {
        if (busy) await busy.catch(() => undefined);
        return dead ? never() : true;
      }) as unknown as () => true,
    };
    expose(api, port2);
    made.push({ die: () => (dead = true) });
    return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
  };
  return { create, made };
}

const states = (p: WorkerPredictor) => {
  const seen: string[] = [];
  p.onStatus((s) => seen.push(`${s.state}${s.error ? `: ${s.error}` : ''}`));
  return seen;
};
const until = async (ok: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !ok(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A worker whose draft is reported `draftAfterMs` after load answers: in use, or `draftError`. */
function draftWorker(draftError?: string, draftAfterMs = 30) {
  return () => {
    const { port1, port2 } = new MessageChannel();
    const api: WorkerApi = {
      load: async (_source, _progress, _lost, onDraft) => {
        setTimeout(() => onDraft?.(draftError), draftAfterMs);
        return { backend: 'fake' };
      },
      predict: async () => answer('model'),
      abort: () => undefined,
      warm: async () => undefined,
      ping: () => true,
    };
    expose(api, port2);
    return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
  };
}

describe('WorkerPredictor', () => {
  it('sends a warm-up only while ready and idle: never before load, nor over a request in flight', async () => {
    const warmed: string[] = [];
    let release = () => undefined as void;
    const create = () => {
      const { port1, port2 } = new MessageChannel();
      const api: WorkerApi = {
        load: async () => ({ backend: 'fake' }),
        predict: () => new Promise((r) => (release = () => r(answer('model')))),
        abort: () => undefined,
        warm: async (r) => (warmed.push(r.path), { promptTokens: 1, cachedTokens: 0, forwardPasses: 1, latencyMs: 0 }),
        ping: () => true,
      };
      expose(api, port2);
      return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
    };
    const p = new WorkerPredictor({ createWorker: create, heartbeatMs: 0 });
    await p.warm(request);
    await p.load({ model: '/m' });
    const busy = p.predict(request);
    await p.warm({ ...request, path: 'busy.ts' });
    await new Promise((r) => setTimeout(r, 20)); // the predict reaches the worker
    release();
    await busy;
    await p.warm({ ...request, path: 'idle.ts' });
    expect(warmed).toEqual(['idle.ts']);
    expect(p.stats().warmups).toBe(1);
    p.dispose();
  });

  it('a predict that throws releases the client: the next one runs, and the fallback answers the failed one', async () => {
    const w = scriptedWorker(async (n) => {
      if (n === 0) throw new Error('failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc');
      return answer('model');
    });
    const p = new WorkerPredictor({ createWorker: w.create, heartbeatMs: 0 });
    await p.load({ model: '/m' });
    await expect(p.predict(request)).rejects.toThrow(/bad_alloc/);
    expect((await p.predict(request))?.stats.backend).toBe('model');
    const both = new FallbackPredictor(new WorkerPredictor({ createWorker: scriptedWorker(() => Promise.reject(new Error('OrtRun'))).create, heartbeatMs: 0 }), rules);
    await (both.primary as WorkerPredictor).load({ model: '/m' });
    expect((await both.predict(request))?.stats.backend).toBe('rules');
    expect((await both.predict(request))?.stats.backend).toBe('rules');
    p.dispose();
    both.primary.dispose?.();
  });

  it('is ready before its draft: the status says the draft is loading, then in use, or why it is not', async () => {
    const p = new WorkerPredictor({ createWorker: draftWorker(), heartbeatMs: 0 });
    await p.load({ model: '/m', draft: '/d' });
    expect(p.status()).toMatchObject({ state: 'ready', draft: 'loading' });
    expect((await p.predict(request))?.stats.backend).toBe('model');
    await until(() => p.status().draft === 'ready');
    expect(p.status().error).toBeUndefined();
    p.dispose();

    const misfit = new WorkerPredictor({ createWorker: draftWorker('draft /d reads native@1'), heartbeatMs: 0 });
    await misfit.load({ model: '/m', draft: '/d' });
    await until(() => misfit.status().error !== undefined);
    expect(misfit.status()).toMatchObject({ state: 'ready', error: 'draft not used: draft /d reads native@1' });
    expect(misfit.status().draft).toBeUndefined();
    expect((await misfit.predict(request))?.stats.backend).toBe('model');
    misfit.dispose();

    // No draft asked for: nothing about one.
    const alone = new WorkerPredictor({ createWorker: draftWorker(), heartbeatMs: 0 });
    await alone.load({ model: '/m' });
    await new Promise((r) => setTimeout(r, 60));
    expect(alone.status().draft).toBeUndefined();
    alone.dispose();
  });

  it('notices a silently dead worker, restarts it with back-off, the rules answering meanwhile, and says so', async () => {
    const w = scriptedWorker(async () => answer('model'));
    const p = new WorkerPredictor({ createWorker: w.create, heartbeatMs: 10, deadAfterMs: 80, deadWhileBusyMs: 80, restartDelayMs: 40 });
    const seen = states(p);
    const both = new FallbackPredictor(p, rules);
    await p.load({ model: '/m' });
    expect((await both.predict(request))?.stats.backend).toBe('model');

    w.made[0]!.die();
    // The request in flight fails over to the rules once the death is noticed; none hangs.
    expect((await both.predict(request))?.stats.backend).toBe('rules');
    expect(seen).toContainEqual(expect.stringMatching(/^error: worker stopped answering .*restart 1 in 0\.04 s/));
    await until(() => p.status().state === 'ready');
    expect(p.status().error).toMatch(/restarted after worker stopped answering/);

    // Dying again before answering anything doubles the delay...
    w.made[1]!.die();
    await until(() => p.status().state === 'error');
    expect(p.status().error).toMatch(/restart 2 in 0\.08 s/);
    expect((await both.predict(request))?.stats.backend).toBe('rules');
    await until(() => p.status().state === 'ready');
    expect((await both.predict(request))?.stats.backend).toBe('model');
    // ...and an answered request resets it.
    w.made[2]!.die();
    await until(() => p.status().state === 'error');
    expect(p.status().error).toMatch(/restart 3 in 0\.04 s/);
    await until(() => p.status().state === 'ready');
    expect(p.stats().restarts).toBe(3);
    expect(w.made).toHaveLength(4);
    p.dispose();
  });

  it('lets a prediction run past the silence limit: a worker busy decoding answers no ping, yet lives', async () => {
    const w = scriptedWorker(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return answer('model');
    }, { pingsWait: true });
    const p = new WorkerPredictor({ createWorker: w.create, heartbeatMs: 10, deadAfterMs: 80 });
    await p.load({ model: '/m' });
    expect((await p.predict(request))?.stats.backend).toBe('model');
    expect(p.stats().restarts).toBe(0);
    p.dispose();
  });
});
