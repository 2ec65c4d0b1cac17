// Promise.all rejects with whichever promise fails first in time, so when a
// model folder is missing several files the error named would change from run
// to run. Loading in parallel but reporting in argument order keeps the
// message stable (and names the file a person should look at first).

/**
 * Like Promise.all, but waits for every promise and on failure throws the
 * first rejection in argument order, after handing each value that did load
 * to `release` (so a model session loaded beside a failed tokenizer is freed).
 */
export async function allInOrder<T extends readonly unknown[] | []>(
  promises: T,
  release?: (value: Awaited<T[number]>) => unknown,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  type Values = { -readonly [K in keyof T]: Awaited<T[K]> };
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as Values;
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
