// Shared helpers for subcommands: Node's own parseArgs with `--help` and `--config FILE.json`
// handled once, values checked and errors phrased for people (the dispatcher prints them
// without a stack trace).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {}

/** Runs parseArgs (or any parsing) and turns its errors into usage errors (exit code 2). */
export function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const COMMON = { help: { type: 'boolean', short: 'h' }, config: { type: 'string' } } as const;
type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof COMMON; strict: true; allowPositionals: true }>>;

/**
 * Parses a subcommand's flags. `--help` prints `help` and returns null. `--config FILE.json`
 * supplies any flag as a JSON key ("batch-size", "batchSize" or "batch_size"); flags given on
 * the command line win over the file. Unknown keys and values of the wrong type are usage errors.
 */
export function parseCommand<const O extends ParseArgsOptionsConfig>(args: string[], options: O, help: string, { positionals = false } = {}): Parsed<O> | null {
  const all = { ...options, ...COMMON };
  const parsed = usage(() => parseArgs({ args, options: all, strict: true, allowPositionals: true, tokens: true }));
  const values = parsed.values as Record<string, unknown>;
  if (values.help) {
    process.stdout.write(`${help}\n  --config FILE.json  any of these flags as JSON keys ("batch-size" or "batchSize"); flags given here win\n  -h, --help          this text\n`);
    return null;
  }
  if (!positionals && parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
  if (typeof values.config === 'string') {
    const given = new Set(parsed.tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : [])));
    for (const [key, value] of Object.entries(readConfig(values.config))) {
      const name = key.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const option = (options as ParseArgsOptionsConfig)[name];
      if (!option) throw new UsageError(`${values.config}: unknown option '${key}' (the flags are: ${Object.keys(options).join(', ')})`);
      if (given.has(name)) continue;
      values[name] = configValue(values.config, key, value, option);
    }
  }
  return parsed as unknown as Parsed<O>;
}

function readConfig(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new UsageError(`--config: ${path} does not exist`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--config: ${path} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UsageError(`--config: ${path} must hold a JSON object of flags`);
  return config as Record<string, unknown>;
}

function configValue(file: string, key: string, value: unknown, option: ParseArgsOptionsConfig[string]): unknown {
  const scalar = (v: unknown) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    throw new UsageError(`${file}: '${key}' must be a string or a number, got ${JSON.stringify(v)}`);
  };
  if (option.type === 'boolean') {
    if (typeof value !== 'boolean') throw new UsageError(`${file}: '${key}' must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  if (option.multiple) return (Array.isArray(value) ? value : [value]).map(scalar);
  return scalar(value);
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
