// tidy, noGrad and autocast set per-thread state around a synchronous function; an async one
// would run on past their end. They refuse it with a TypeError, and the refused promise is
// handled here so that its own later rejection cannot crash the process as unhandled.

/** Throws `message` as a TypeError when fn's result is a promise (or any thenable). */
export function refuseAsync(result: unknown, message: string): void {
  if (result === null || (typeof result !== 'object' && typeof result !== 'function')) return;
  const then = (result as { then?: unknown }).then;
  if (typeof then !== 'function') return;
  (then as (ok: () => void, fail: () => void) => unknown).call(result, () => {}, () => {});
  throw new TypeError(message);
}
