import type { AbortSignalLike } from '../types.js';

/** Rejects the way fetch does: an Error named 'AbortError'. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (!signal?.aborted) return;
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') throw reason;
  const error = new Error(reason instanceof Error ? reason.message : 'The operation was aborted');
  error.name = 'AbortError';
  throw error;
}
