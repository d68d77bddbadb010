// Shared helpers for subcommands: Node's own parseArgs, with values checked and errors
// phrased for people (the dispatcher prints them without a stack trace).
export class UsageError extends Error {}

/** Runs parseArgs (or any parsing) and turns its errors into usage errors (exit code 2). */
export function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) throw new UsageError(`${flag} is required`);
  return value;
}

export function integer(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer of at least ${min}, got ${value}`);
  return n;
}

export function number(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got '${value}'`);
  return n;
}
