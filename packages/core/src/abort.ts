// Cancellation, the way fetch reports it: an Error named 'AbortError'. Every
// layer that stops work for an aborted signal throws one of these, so callers
// tell a cancelled request from a failed one by `name` alone.
import type { AbortSignalLike } from './types.js';

/** An Error named 'AbortError'. */
export function abortError(message = 'The operation was aborted'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

/** True for an error that reports cancellation rather than a failure. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Throws the signal's AbortError (its reason when that is one) once it is aborted. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (!signal?.aborted) return;
  const reason = signal.reason;
  if (isAbortError(reason)) throw reason;
  throw abortError(reason instanceof Error ? reason.message : undefined);
}
