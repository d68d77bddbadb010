// plm-torch finetune: the finetune recipe (lib/train/recipes) from the command line, with
// progress on the terminal, the result on stdout, and Ctrl-C leaving a run that --resume continues.
import { finetune as finetuneRecipe, type FinetuneOptions } from '../train/recipes/finetune.js';
import { integer, number, parseCommand, required } from './args.js';
import { terminalHooks } from './progress.js';

const HELP = `Usage: plm-torch finetune --from DIR --train FILE.jsonl --eval FILE.jsonl --out DIR [options]

Fine-tunes a sequence classifier from a model folder (pretrained, adapted, or any Hugging
Face encoder of a family plm-torch knows). JSONL lines: {"text": ..., "text_pair"?: ..., "label": ...}, labels strings or
integers. Evaluates on --eval every epoch (or --eval-every steps), stops early when accuracy
stops improving, and leaves the best model in OUT with eval.json. Ctrl-C stops at the next
step: OUT then holds the best model so far, eval.json says where it stopped, and the same
command with --resume continues exactly where it stopped.

  --from DIR|ID       the model folder to start from (with its tokenizer), or a hub id (org/name)
  --revision REV      with a hub id: a branch, tag or commit (default main)
  --train FILE        training records (JSONL)
  --eval FILE         evaluation records (JSONL)
  --out DIR           where the classifier goes
  --epochs E          passes over the training records (default 3)
  --batch-size B      records per step (default 16)
  --lr LR             peak learning rate (default 5e-5)
  --max-length L      tokens per record, pairs included (default 128)
  --eval-every N      steps between evaluations (default: one epoch)
  --patience N        evaluations without improvement before stopping (default 3)
  --seed S            seed for the new head, shuffling and dropout (default 42)
  --resume            continue the stopped run in OUT (give the same flags as before)
  --overwrite         replace a previous run in OUT: its metrics, checkpoints, model and
                      eval.json (other files in OUT are left alone)
  --quiet             no progress output
`;

/** One argument as a POSIX shell reads it back. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export async function finetune(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      from: { type: 'string' },
      revision: { type: 'string' },
      train: { type: 'string' },
      eval: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      'max-length': { type: 'string' },
      'eval-every': { type: 'string' },
      patience: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean', default: false },
      overwrite: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const options: FinetuneOptions = {
    from: required(values.from, '--from'),
    ...(values.revision ? { revision: values.revision } : {}),
    out: required(values.out, '--out'),
    train: values.train!,
    eval: values.eval!,
    epochs: integer(values.epochs, '--epochs', 3),
    batchSize: integer(values['batch-size'], '--batch-size', 16),
    lr: number(values.lr, '--lr', 5e-5),
    maxLength: integer(values['max-length'], '--max-length', 128, 4),
    patience: integer(values.patience, '--patience', 3),
    seed: integer(values.seed, '--seed', 42, 0),
    resume: values.resume!,
    overwrite: values.overwrite!,
    ...(values['eval-every'] === undefined ? {} : { evalEvery: integer(values['eval-every'], '--eval-every', 1) }),
  };
  // This command again, with --resume: how a stopped run continues.
  const again = `plm-torch finetune ${[...args.filter((a) => a !== '--overwrite' && a !== '--resume'), '--resume'].map(shellWord).join(' ')}`;
  const quiet = values.quiet!;
  const hooks = terminalHooks({ quiet, resumeHint: `to continue: ${again}` });
  try {
    const { step, cancelled, out, metrics } = await finetuneRecipe(options, hooks);
    const m = (metrics ?? {}) as { accuracy?: number; macroF1?: number; examples?: number; bestStep?: number | null; totalSteps?: number };
    if (cancelled) {
      if (!quiet && step > 0) {
        const accuracy = m.accuracy === undefined ? '' : `: accuracy ${(m.accuracy * 100).toFixed(1)}%`;
        process.stdout.write(`stopped at step ${step} of ${m.totalSteps} → ${out} holds the weights of ${m.bestStep ? `step ${m.bestStep}, the best so far${accuracy}` : `step ${step} (no evaluation yet)`}\n`);
      }
      return 130;
    }
    if (!quiet) process.stdout.write(`fine-tuned ${step} steps (best at ${m.bestStep}) → ${out}: accuracy ${(m.accuracy! * 100).toFixed(1)}%, macro-F1 ${(m.macroF1! * 100).toFixed(1)}% on ${m.examples} records\n`);
    return 0;
  } finally {
    hooks.dispose();
  }
}
