// What a recipe is told and what it reports: typed options (the command's flags in camelCase),
// hooks through which the caller watches the run, and the result. Recipes print nothing.
import { closest, kebab } from '../../closest-name.js';
import type { DownloadProgress } from '../../hub/hub-context.js';
import type { LogRecord, Trainer } from '../trainer.js';

/** A bad option value or combination; the command line shows it as a usage error (exit code 2). */
export class OptionError extends Error {
  override name = 'OptionError';
}

export interface RecipeHooks {
  /** Called with the run's Trainer before it trains: listen to its events, stopWhen, resumeHint. */
  onTrainer?: (trainer: Trainer<unknown>) => void;
  /** Notes from outside the training loop (shards prepared, weights initialised fresh). */
  onLog?: (record: LogRecord) => void;
  /** Aborting stops the run at the next step boundary, after a checkpoint. */
  signal?: AbortSignal;
  /** Progress of a hub id's files as they download (none when cached). */
  onDownload?: (progress: DownloadProgress) => void;
  /**
   * How messages name an option: the key itself by default ('batchSize'); the command line
   * passes its flag spelling ('--batch-size').
   */
  optionName?: (key: string) => string;
  /** Ends a stop message: how to continue the run (default: pass resume). */
  resumeHint?: string;
}

export interface RecipeResult {
  /** The last optimizer step reached. */
  step: number;
  /** True when the run stopped on request; its last checkpoint resumes it. */
  cancelled: boolean;
  out: string;
  /** What OUT/eval.json holds (a stopped fine-tuning run writes one too); null when none was written. */
  metrics: Record<string, unknown> | null;
}

/** Reads a recipe's options with checks whose messages name each option as the caller spells it. */
export class OptionReader {
  readonly name: (key: string) => string;
  /** How to turn a boolean option on: '--resume' on the command line, 'resume: true' in code. */
  readonly enable: (key: string) => string;

  constructor(hooks: RecipeHooks) {
    const named = hooks.optionName;
    this.name = named ?? ((key) => key);
    this.enable = named ?? ((key) => `${key}: true`);
  }

  /** Refuses keys that are none of `keys` (a typo would otherwise be ignored), naming the closest. */
  known(o: object, keys: readonly string[], what: string): void {
    for (const key of Object.keys(o)) {
      if (keys.includes(key)) continue;
      const spelled = keys.map(kebab);
      const near = closest(key, spelled).map((n) => keys[spelled.indexOf(n)]!);
      throw new OptionError(`${what}: unknown option ${this.name(key)}${near.length > 0 ? `; did you mean ${near.map((n) => this.name(n)).join(' or ')}?` : ''}`);
    }
  }

  required<T>(value: T | undefined, key: string): T {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '') throw new OptionError(`${this.name(key)} is required`);
    return value;
  }

  string(value: unknown, key: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new OptionError(`${this.name(key)} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}`);
    return value;
  }

  strings(value: unknown, key: string): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw new OptionError(`${this.name(key)} must be an array of file names`);
    return value as string[];
  }

  integer(value: unknown, key: string, fallback: number, min = 1): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new OptionError(`${this.name(key)} must be an integer of at least ${min}, got ${String(value)}`);
    return value;
  }

  positive(value: unknown, key: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new OptionError(`${this.name(key)} must be a positive number, got ${String(value)}`);
    return value;
  }

  flag(value: unknown, key: string): boolean {
    if (value === undefined) return false;
    if (typeof value !== 'boolean') throw new OptionError(`${this.name(key)} must be true or false, got ${String(value)}`);
    return value;
  }

  /** One of `choices`, the first by default. */
  choice<const C extends string>(value: unknown, key: string, choices: readonly C[]): C {
    if (value === undefined) return choices[0]!;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw new OptionError(`${this.name(key)} must be ${choices.join(' or ')}, got ${String(value)}`);
    return value as C;
  }
}
