// The options of a background run: the flags of `plm-torch pretrain|adapt|finetune` in
// camelCase, so a run in a worker does exactly what the command does (same checks, same files).
export interface PretrainRunOptions {
  command: 'pretrain';
  out: string;
  tokenizer: string;
  corpus?: string[];
  data?: string;
  model?: string;
  steps?: number;
  batchSize?: number;
  gradAccum?: number;
  /** Tokens per sequence (--max-length); seqLen is its older name (--seq-len). */
  maxLength?: number;
  seqLen?: number;
  lr?: number;
  warmup?: number;
  optimizer?: 'adamw' | 'lamb';
  maskProb?: number;
  mlmOnly?: boolean;
  bf16?: boolean;
  checkpointEvery?: number;
  seed?: number;
  resume?: boolean;
  config?: string;
}

export interface AdaptRunOptions {
  command: 'adapt';
  from: string;
  corpus: string[];
  out: string;
  extendVocab?: number;
  steps?: number;
  batchSize?: number;
  /** Tokens per sequence (--max-length); seqLen is its older name (--seq-len). */
  maxLength?: number;
  seqLen?: number;
  lr?: number;
  nsp?: boolean;
  bf16?: boolean;
  checkpointEvery?: number;
  seed?: number;
  resume?: boolean;
  config?: string;
}

export interface FinetuneRunOptions {
  command: 'finetune';
  from: string;
  train: string;
  eval: string;
  out: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  maxLength?: number;
  evalEvery?: number;
  patience?: number;
  seed?: number;
  /** Continue the stopped run in `out` from its checkpoint (--resume). */
  resume?: boolean;
  /** Replace a previous run in `out`: its metrics, checkpoints, model and eval.json (--overwrite). */
  overwrite?: boolean;
  config?: string;
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
