// Promise.all rejects with whichever promise fails first in time, so when a
// model folder is missing several files the error named would change from run
// to run. Loading in parallel but reporting in argument order keeps the
// message stable (and names the file a person should look at first).

/** What `Promise.all(promises)` resolves to. */
type Resolved<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Like Promise.all, but waits for every promise and on failure throws the
 * first rejection in argument order, after handing each value that did load
 * to `release` (so a model session loaded beside a failed tokenizer is freed).
 */
export async function allInOrder<T extends readonly unknown[] | []>(
  promises: T,
  release?: (value: Awaited<T[number]>) => unknown,
): Promise<Resolved<T>> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as Resolved<T>;
  for (const s of settled) {
    if (s.status !== 'fulfilled' || !release) continue;
    try {
      await release(s.value as Awaited<T[number]>);
    } catch {
      // Releasing is best effort; the load failure is what the caller needs.
    }
  }
  throw failed.reason;
}
