// Shared helpers for subcommands: Node's own parseArgs with `--help` and `--config FILE.json`
// handled once, values checked and errors phrased for people (the dispatcher prints them
// without a stack trace).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { describeValue } from '../torch/describe.js';
import { closest } from '../closest-name.js';
import { OptionError } from '../train/recipes/options.js';

export { closest, editDistance } from '../closest-name.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
type OptionConfig = ParseArgsOptionsConfig[string];

/** A mistake on the command line: shown without a stack trace, exit code 2 (as a recipe's OptionError). */
export class UsageError extends OptionError {
  override name = 'UsageError';
}

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

export interface ParseCommandOptions<K extends string = string> {
  /**
   * The subcommand as typed ('pretrain', 'data prepare'), for messages such as "plm-torch
   * pretrain --help lists the options". Without it, the name in help's first line
   * ("Usage: plm-torch NAME ...") is used, else a plain "run with --help".
   */
  command?: string;
  /** Whether arguments that are not flags are allowed (default false). */
  positionals?: boolean;
  /**
   * Other names a flag is accepted under, alias → flag ({ 'seq-len': 'max-length' }), on the
   * command line and in --config. The value lands under the flag's own name; giving both with
   * different values is a usage error. Help lists the flag; `flag(name)` says which was used.
   */
  aliases?: Readonly<Record<string, K>>;
}

export type ParsedCommand<O extends ParseArgsOptionsConfig> = Parsed<O> & {
  /** The flag as the user spelled it ('--seq-len' when given under that alias), for messages. */
  flag(name: Extract<keyof O, string>): string;
};

/**
 * Parses a subcommand's flags. `--help` prints `help` and returns null. `--config FILE.json`
 * supplies any flag as a JSON key ("batch-size", "batchSize" or "batch_size"); flags given on
 * the command line win over the file. Unknown flags and keys (with the closest known one
 * suggested), missing values and values of the wrong type are usage errors.
 */
export function parseCommand<const O extends ParseArgsOptionsConfig>(
  args: string[],
  options: O,
  help: string,
  { command, positionals = false, aliases = {} }: ParseCommandOptions<Extract<keyof O, string>> = {},
): ParsedCommand<O> | null {
  const own = options as ParseArgsOptionsConfig;
  for (const [alias, name] of Object.entries(aliases)) {
    if (!own[name] || own[alias] || alias in COMMON) throw new TypeError(`alias '${alias}' must name a flag of this command and be no flag itself`);
  }
  // An alias takes its flag's type, never its default (so that it is seen only when given).
  const aliased = Object.fromEntries(Object.entries(aliases).map(([alias, name]) => [alias, { type: own[name]!.type, ...(own[name]!.multiple ? { multiple: true } : {}) }]));
  const all: ParseArgsOptionsConfig = { ...own, ...aliased, ...COMMON };
  const pointer = helpPointer(command ?? commandInHelp(help));

  // A lenient pass first: its tokens let every mistake be told in our words, before the strict
  // pass (which then finds none) builds the values.
  const { tokens } = usage(() => parseArgs({ args, options: all, strict: false, allowPositionals: true, tokens: true }));
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    process.stdout.write(`${help}\n  --config FILE.json  any of these flags as JSON keys ("batch-size" or "batchSize"); flags given here win\n  -h, --help          this text\n`);
    return null;
  }
  for (const [i, token] of tokens.entries()) {
    if (token.kind === 'option') {
      const option = all[token.name];
      if (!option) throw new UsageError(unknownFlag(token.rawName, args[token.index]!, Object.keys(all), aliases, pointer));
      if (option.type === 'string' && token.value === undefined) throw new UsageError(`option '${token.rawName}' needs a value`);
      if (option.type === 'string' && !token.inlineValue && token.value!.length > 1 && token.value!.startsWith('-')) {
        throw new UsageError(`option '${token.rawName}' needs a value, got the flag '${token.value}' (for a value that starts with '-', write ${token.rawName}=${token.value})`);
      }
      if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`option '${token.rawName}' takes no value, got '${args[token.index]}'`);
    } else if (token.kind === 'positional' && !positionals) {
      const before = tokens[i - 1];
      const flagBefore = before?.kind === 'option' && all[before.name]?.type === 'boolean' ? ` (${before.rawName} takes no value)` : '';
      throw new UsageError(`unexpected argument '${token.value}'${flagBefore}`);
    }
  }

  const parsed = usage(() => parseArgs({ args, options: all, strict: true, allowPositionals: true, tokens: true }));
  const values = parsed.values as Record<string, unknown>;
  const spelled = new Map<string, string>(); // flag → the alias it was given under
  const given = new Set<string>();
  for (const token of parsed.tokens) if (token.kind === 'option') given.add(aliases[token.name] ?? token.name);
  for (const [alias, name] of Object.entries(aliases)) {
    if (values[alias] === undefined) continue;
    const flagGiven = parsed.tokens.some((t) => t.kind === 'option' && t.name === name);
    if (flagGiven && !sameValue(values[alias], values[name])) {
      throw new UsageError(`--${alias} ${show(values[alias])} and --${name} ${show(values[name])} are one option given twice with different values; give one of them`);
    }
    if (!flagGiven) {
      values[name] = values[alias];
      spelled.set(name, alias);
    }
    delete values[alias];
  }

  if (typeof values.config === 'string') {
    const file = values.config;
    const fromFile = new Map<string, { key: string; value: unknown }>();
    for (const [key, value] of Object.entries(readConfig(file))) {
      const written = key.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const name = aliases[written] ?? written;
      const option = own[name];
      if (!option) {
        const found = closest(written, [...Object.keys(own), ...Object.keys(aliases)]);
        const near = found.filter((n) => !found.includes(aliases[n] ?? '')).map((n) => `'${inStyleOf(key, n)}'`);
        throw new UsageError(`${file}: unknown option '${key}'${near.length > 0 ? `; did you mean ${orList(near)}?` : ''} (the flags are: ${Object.keys(own).join(', ')})`);
      }
      const converted = configValue(file, key, value, option);
      const earlier = fromFile.get(name);
      if (earlier && !sameValue(earlier.value, converted)) {
        throw new UsageError(`${file}: '${earlier.key}' and '${key}' are one option given twice with different values (${show(earlier.value)} and ${show(converted)}); give one of them`);
      }
      fromFile.set(name, { key, value: converted });
      if (given.has(name)) continue;
      values[name] = converted;
      if (written !== name) spelled.set(name, written);
      else spelled.delete(name);
    }
  }
  const result = parsed as unknown as ParsedCommand<O>;
  result.flag = (name) => `--${spelled.get(name) ?? name}`;
  return result;
}

/** "plm-torch pretrain" from "Usage: plm-torch pretrain (--corpus ...", or undefined. */
function commandInHelp(help: string): string | undefined {
  const words = /^Usage: plm-torch ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)*)/.exec(help);
  return words?.[1];
}

function helpPointer(command: string | undefined): string {
  return command ? `(plm-torch ${command} --help lists the options)` : '(run with --help to list the options)';
}

/** "unknown option '--devic'; did you mean '--device'? (plm-torch pretrain --help lists the options)" */
function unknownFlag(rawName: string, arg: string, names: string[], aliases: Readonly<Record<string, string>>, pointer: string): string {
  let shown = rawName;
  let written: string;
  if (rawName.startsWith('--')) written = rawName.slice(2);
  else if (/^-[^-]{2,}/.test(arg)) {
    // '-device': a long flag with one dash, which parseArgs reads as the short flags -d -e ...
    shown = arg.split('=')[0]!;
    written = shown.slice(1);
  } else written = rawName.slice(1);
  const found = written.length > 1 ? closest(written, names.filter((n) => n.length > 1)) : [];
  const near = found.filter((n) => !found.includes(aliases[n] ?? '')); // a flag, not also its alias
  return `unknown option '${shown}'${near.length > 0 ? `; did you mean ${orList(near.map((n) => `'--${n}'`))}?` : ''} ${pointer}`;
}

/** A flag name written the way a config key was: 'batch_size', 'batchSize' or 'batch-size'. */
function inStyleOf(key: string, name: string): string {
  if (key.includes('_')) return name.replace(/-/g, '_');
  if (/[A-Z]/.test(key)) return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return name;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(' ') : String(value);
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

function configValue(file: string, key: string, value: unknown, option: OptionConfig): unknown {
  const scalar = (v: unknown) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    throw new UsageError(`${file}: '${key}' must be a string or a number, got ${describeValue(v)}`);
  };
  if (option.type === 'boolean') {
    if (typeof value !== 'boolean') throw new UsageError(`${file}: '${key}' must be true or false, got ${describeValue(value)}`);
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
