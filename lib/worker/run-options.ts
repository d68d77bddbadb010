// The options of a background run: a recipe's options (lib/train/recipes) and which recipe.
// They are the flags of `plm-torch pretrain|adapt|finetune` in camelCase.
import type { AdaptOptions } from '../train/recipes/adapt.js';
import type { FinetuneOptions } from '../train/recipes/finetune.js';
import type { PretrainOptions } from '../train/recipes/pretrain.js';

export interface PretrainRunOptions extends PretrainOptions {
  command: 'pretrain';
}

export interface AdaptRunOptions extends AdaptOptions {
  command: 'adapt';
}

export interface FinetuneRunOptions extends FinetuneOptions {
  command: 'finetune';
}

export type RunCommandOptions = PretrainRunOptions | AdaptRunOptions | FinetuneRunOptions;

/** The command line a run's options stand for: `batchSize: 8` is `--batch-size=8`. */
export function commandArgs(options: RunCommandOptions): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'command' || value === undefined || value === false) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (value === true) args.push(flag);
    // --flag=value: a value starting with a dash ("-1") must not read as a flag.
    else if (Array.isArray(value)) for (const v of value) args.push(`${flag}=${String(v)}`);
    else if (typeof value === 'string' || typeof value === 'number') args.push(`${flag}=${value}`);
    else throw new TypeError(`${key} must be a string, a number, a boolean or an array of strings, got ${typeof value}`);
  }
  return args;
}
