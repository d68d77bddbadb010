// plm-torch pretrain: the pretrain recipe (lib/train/recipes) from the command line, with
// progress on the terminal and the result on stdout.
import { isRankProcess } from '../distributed/process-group.js';
import { registeredFamilies } from '../models/registry.js';
import type { RecipeHooks, RecipeResult } from '../train/recipes/options.js';
import { checkPretrainOptions, pretrain as pretrainRecipe, type PretrainOptions } from '../train/recipes/pretrain.js';
import { integer, number, parseCommand, required, UsageError } from './args.js';
import { launchLocal } from './launch.js';
import { terminalHooks } from './progress.js';

const HELP = `Usage: plm-torch pretrain (--corpus FILES... | --data DIR) --tokenizer DIR --out DIR [options]

Pretrains an encoder of the --arch family: BERT with masked language modelling and next
sentence prediction (or MLM only); families without NSP (RoBERTa, ...) with MLM only and
dynamic masking, as RoBERTa's recipe does. It leaves OUT as a Hugging Face model folder (config.json, model.safetensors, tokenizer.json,
vocab.txt) with metrics.jsonl, eval.json and checkpoints/.

  --corpus FILE          text or JSONL corpus (gzip, globs); tokenised into OUT/data first
  --data DIR             shards made by \`plm-torch data prepare\`
  --tokenizer DIR|ID     a folder with tokenizer.json or vocab.txt, or a hub id (org/name)
  --revision REV         with a hub id: a branch, tag or commit (default main)
  --arch FAMILY          the model family: ${registeredFamilies().map((f) => f.modelType).join(', ')} (default bert)
  --model NAME|FILE      tiny, mini, small, base, or a config.json (default tiny)
  --out DIR              where the model, metrics and checkpoints go
  --steps N              optimizer steps (default 1000)
  --batch-size B         sequences per step in each process (default 32); with --nproc N
                         the step holds N × B (and with --grad-accum G, G × N × B)
  --grad-accum G         micro-batches of B sequences per step (default 1)
  --max-length L         tokens per sequence, [CLS] and [SEP] included (default 128;
                         --seq-len is the same flag)
  --lr LR                peak learning rate (default 1e-4)
  --warmup N             warmup steps (default 1% of steps)
  --optimizer NAME       adamw or lamb (default adamw)
  --mask-prob P          share of tokens to predict (default 0.15)
  --mlm-only             no NSP: packed sequences and the family's masked LM
  --bf16                 bfloat16 autocast (float32 master weights)
  --checkpoint-every N   steps between checkpoints (default 500)
  --seed S               seed for weights, data order and masking (default 42)
  --resume               continue from the newest checkpoint in OUT
  --nproc N              data-parallel over N local processes (c10d, Gloo); with NNODES,
                         NODE_RANK, MASTER_ADDR and MASTER_PORT, over several machines
  --dist-timeout S       seconds a rank waits for the others before failing (default 300)
  --quiet                no progress output
`;

/** The flags pretrain and adapt share: one training loop (trainAndSave) runs under both. */
export const TRAINING_FLAGS = {
  steps: { type: 'string' },
  'batch-size': { type: 'string' },
  'max-length': { type: 'string' },
  lr: { type: 'string' },
  bf16: { type: 'boolean', default: false },
  'checkpoint-every': { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'boolean', default: false },
  nproc: { type: 'string' },
  'dist-timeout': { type: 'string' },
  quiet: { type: 'boolean', default: false },
} as const;

/** --seq-len, the older name of --max-length, still accepted (pretrain, adapt and eval). */
export const SEQ_LEN_ALIAS = { 'seq-len': 'max-length' } as const;

export async function pretrain(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      corpus: { type: 'string', multiple: true },
      data: { type: 'string' },
      tokenizer: { type: 'string' },
      revision: { type: 'string' },
      model: { type: 'string', default: 'tiny' },
      arch: { type: 'string', default: 'bert' },
      out: { type: 'string' },
      'grad-accum': { type: 'string' },
      warmup: { type: 'string' },
      optimizer: { type: 'string', default: 'adamw' },
      'mask-prob': { type: 'string' },
      'mlm-only': { type: 'boolean', default: false },
      ...TRAINING_FLAGS,
    },
    HELP,
    { command: 'pretrain', aliases: SEQ_LEN_ALIAS },
  );
  if (!parsed) return 0;
  const { values, flag } = parsed;
  const nproc = integer(values.nproc, '--nproc', 1);
  const steps = integer(values.steps, '--steps', 1000);
  const options: PretrainOptions = {
    out: required(values.out, '--out'),
    ...(values.corpus ? { corpus: values.corpus } : {}),
    ...(values.data ? { data: values.data } : {}),
    arch: values.arch!,
    model: values.model!,
    steps,
    batchSize: integer(values['batch-size'], '--batch-size', 32),
    gradAccum: integer(values['grad-accum'], '--grad-accum', 1),
    maxLength: integer(values['max-length'], flag('max-length'), 128, 8),
    lr: number(values.lr, '--lr', 1e-4),
    warmup: values.warmup === undefined ? Math.floor(steps / 100) : integer(values.warmup, '--warmup', 0, 0),
    optimizer: optimizerFlag(values.optimizer!),
    maskProb: number(values['mask-prob'], '--mask-prob', 0.15),
    mlmOnly: values['mlm-only']!,
    bf16: values.bf16!,
    checkpointEvery: integer(values['checkpoint-every'], '--checkpoint-every', 500, 0),
    seed: integer(values.seed, '--seed', 42, 0),
    resume: values.resume!,
    distTimeout: distTimeout(values['dist-timeout']),
    // Last, as the flags' values are checked first.
    tokenizer: required(values.tokenizer, '--tokenizer'),
    ...(values.revision ? { revision: values.revision } : {}),
  };
  return runMaskedLmCommand({ command: 'pretrain', verb: 'pretrained', args, nproc, quiet: values.quiet!, check: (hooks) => checkPretrainOptions(options, hooks), run: (hooks) => pretrainRecipe(options, hooks) });
}

/**
 * pretrain's and adapt's common end: options checked once, --nproc's ranks started (or this
 * process, one of them, trains), progress on the terminal, the result line on stdout.
 */
export async function runMaskedLmCommand(c: { command: string; verb: string; args: string[]; nproc: number; quiet: boolean; check: (hooks: RecipeHooks) => void; run: (hooks: RecipeHooks) => Promise<RecipeResult> }): Promise<number> {
  const quiet = quietRank(c.quiet);
  const hooks = terminalHooks({ quiet });
  if (!isRankProcess()) c.check(hooks);
  if (c.nproc > 1 && !isRankProcess()) return launchLocal(c.command, c.args, c.nproc);
  try {
    const result = await c.run(hooks);
    if (!quiet) printPretrainingResult(c.verb, result);
    return result.cancelled ? 130 : 0;
  } finally {
    hooks.dispose();
  }
}

function optimizerFlag(value: string): 'adamw' | 'lamb' {
  if (value !== 'adamw' && value !== 'lamb') throw new UsageError(`--optimizer must be adamw or lamb, got '${value}'`);
  return value;
}

/** --quiet, and every rank but 0 of a data-parallel run: one process reports. */
export function quietRank(quiet: boolean): boolean {
  return quiet || (isRankProcess() && process.env.RANK !== '0');
}

/** The line pretrain and adapt end with: the step count and what eval.json holds. */
export function printPretrainingResult(verb: string, result: RecipeResult): void {
  const m = result.metrics as { mlmLoss: number; perplexity: number; maskedAccuracy: number; nspAccuracy?: number; processes?: number } | null;
  if (result.cancelled || !m) return;
  process.stdout.write(
    `${verb} ${result.step} steps${m.processes ? ` on ${m.processes} processes` : ''} → ${result.out}: MLM loss ${m.mlmLoss.toFixed(3)}, perplexity ${m.perplexity.toFixed(1)}, masked accuracy ${(m.maskedAccuracy * 100).toFixed(1)}%${m.nspAccuracy === undefined ? '' : `, NSP accuracy ${(m.nspAccuracy * 100).toFixed(1)}%`}\n`,
  );
}

/** --dist-timeout in seconds (the recipe checks its range). */
export function distTimeout(value: string | undefined): number {
  return number(value, '--dist-timeout', 300);
}

