// plm-torch demo: the whole path from general to domain on the real corpora in data/ —
// a WordPiece tokenizer, a tiny BERT pretrained on general English, the same model adapted on
// computing text, a classifier fine-tuned from each, and a table that compares them.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { adapt } from './adapt.js';
import { integer, parseCommand, UsageError } from './args.js';
import { readRecords } from '../data/records.js';
import { finetune } from './finetune.js';
import { plotRun } from './plot.js';
import { pretrain } from './pretrain.js';
import { tokenizer } from './tokenizer.js';

const DATA = fileURLToPath(new URL('../../../data/', import.meta.url));
const MARKER = '.plm-torch-demo';

const HELP = `Usage: plm-torch demo [--out DIR] [--quick] [options]

General → domain on the corpora shipped in data/ (see data/README.md): trains a WordPiece
tokenizer on general English (Webster's 1913 dictionary), pretrains a tiny BERT on it (MLM +
NSP), adapts that model on computing text (the Jargon File and FOLDOC, MLM, with the domain's
most split words added to the vocabulary), fine-tunes a subject classifier on FOLDOC entries
from each of the two models, and prints a table comparing them. About 4 minutes on 2 CPU
cores; --quick takes about one minute and shows the path, not the gain.

  --out DIR         where every run goes (default plm-torch-demo); plots in each run folder
  --quick           a one-minute version with few steps
  --general FILE    general corpus (default data/general/*); repeat for more
  --domain FILE     domain corpus (default data/domain/*); repeat for more
  --train FILE      labelled JSONL for fine-tuning (default data/task/train.jsonl)
  --eval FILE       labelled JSONL to compare on (default data/task/eval.jsonl)
  --seed S          seed of every stage (default 42)
  --quiet           only the table
`;

interface Plan {
  vocabSize: number;
  pretrain: { steps: number; batchSize: number; seqLen: number; lr: number };
  adapt: { steps: number; batchSize: number; seqLen: number; lr: number; extendVocab: number };
  finetune: { epochs: number; batchSize: number; lr: number; maxLength: number };
}

const FULL: Plan = {
  vocabSize: 8000,
  pretrain: { steps: 600, batchSize: 64, seqLen: 64, lr: 2e-3 },
  adapt: { steps: 400, batchSize: 64, seqLen: 64, lr: 1e-3, extendVocab: 300 },
  finetune: { epochs: 6, batchSize: 32, lr: 1e-3, maxLength: 64 },
};

const QUICK: Plan = {
  vocabSize: 3000,
  pretrain: { steps: 30, batchSize: 16, seqLen: 64, lr: 1e-3 },
  adapt: { steps: 20, batchSize: 16, seqLen: 64, lr: 5e-4, extendVocab: 50 },
  finetune: { epochs: 1, batchSize: 32, lr: 1e-3, maxLength: 64 },
};

export interface DemoRow {
  model: string;
  pretrainingSteps: number;
  accuracy: number;
  macroF1: number;
  loss: number | null;
  run: string;
}

/** The scores of always answering the commonest label: what a classifier must beat. */
export function majorityBaseline(labels: readonly (string | number)[]): { label: string; accuracy: number; macroF1: number } {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(String(l), (counts.get(String(l)) ?? 0) + 1);
  const [label, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const accuracy = n / labels.length;
  // Precision of the majority label is its share and its recall 1; every other label's F1 is 0.
  return { label, accuracy, macroF1: (2 * accuracy) / (1 + accuracy) / counts.size };
}

export function resultsTable(rows: readonly DemoRow[], baseline: { label: string; accuracy: number; macroF1: number }, evalRecords: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `| model | pretraining steps | accuracy | macro-F1 | eval loss |`,
    `|---|---:|---:|---:|---:|`,
    ...rows.map((r) => `| ${r.model} | ${r.pretrainingSteps} | ${pct(r.accuracy)} | ${pct(r.macroF1)} | ${r.loss === null ? '–' : r.loss.toFixed(3)} |`),
    `| always "${baseline.label}" | – | ${pct(baseline.accuracy)} | ${pct(baseline.macroF1)} | – |`,
  ];
  return `${lines.join('\n')}\n\n${evalRecords} held-out records; the domain corpus never contains them.\n`;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} is missing: the demo corpora ship in the package's data/ folder`);
  return readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => join(dir, f));
}

/** OUT must be new, empty, or an earlier demo's folder (which is cleared): never someone's files. */
function prepareOut(out: string): void {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(MARKER)) throw new UsageError(`--out: ${out} holds files that are not an earlier demo's; give a new or empty folder`);
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), 'made by plm-torch demo; the next demo run clears this folder\n');
}

export async function demo(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      out: { type: 'string', default: 'plm-torch-demo' },
      quick: { type: 'boolean', default: false },
      general: { type: 'string', multiple: true },
      domain: { type: 'string', multiple: true },
      train: { type: 'string' },
      eval: { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const plan = values.quick ? QUICK : FULL;
  const seed = String(integer(values.seed, '--seed', 42, 0));
  const general = values.general ?? files(join(DATA, 'general'));
  const domain = values.domain ?? files(join(DATA, 'domain'));
  const trainFile = values.train ?? join(DATA, 'task/train.jsonl');
  const evalFile = values.eval ?? join(DATA, 'task/eval.jsonl');
  const evalRecords = readRecords(evalFile);
  readRecords(trainFile);
  const out = resolve(values.out!);
  prepareOut(out);
  const quiet = values.quiet ? ['--quiet'] : [];
  const say = (text: string) => {
    if (!values.quiet) process.stdout.write(`\n== ${text}\n`);
  };
  const started = Date.now();
  const dirs = {
    tokenizer: join(out, 'tokenizer'),
    general: join(out, 'general'),
    adapted: join(out, 'adapted'),
    fromGeneral: join(out, 'classifier-from-general'),
    fromAdapted: join(out, 'classifier-from-adapted'),
  };
  const run = async (stage: Promise<number>) => {
    const code = await stage;
    if (code !== 0) throw new Error(`a demo stage exited with ${code}`);
  };
  const step = (p: Plan['pretrain']) => ['--steps', String(p.steps), '--batch-size', String(p.batchSize), '--max-length', String(p.seqLen), '--lr', String(p.lr), '--seed', seed];

  say(`1/5 WordPiece tokenizer (${plan.vocabSize} tokens) on the general corpus`);
  await run(tokenizer(['train', ...general.flatMap((f) => ['--corpus', f]), '--vocab-size', String(plan.vocabSize), '--out', dirs.tokenizer]));
  say(`2/5 pretraining a tiny BERT on general English (MLM + NSP, ${plan.pretrain.steps} steps)`);
  await run(pretrain([...general.flatMap((f) => ['--corpus', f]), '--tokenizer', dirs.tokenizer, '--model', 'tiny', '--out', dirs.general, ...step(plan.pretrain), '--warmup', String(Math.ceil(plan.pretrain.steps / 10)), '--checkpoint-every', '0', ...quiet]));
  say(`3/5 adapting it to the computing domain (MLM, ${plan.adapt.steps} steps, ${plan.adapt.extendVocab} domain words added)`);
  await run(adapt(['--from', dirs.general, ...domain.flatMap((f) => ['--corpus', f]), '--out', dirs.adapted, '--extend-vocab', String(plan.adapt.extendVocab), ...step(plan.adapt), '--checkpoint-every', '0', ...quiet]));
  const f = plan.finetune;
  const tune = ['--train', trainFile, '--eval', evalFile, '--epochs', String(f.epochs), '--batch-size', String(f.batchSize), '--lr', String(f.lr), '--max-length', String(f.maxLength), '--seed', seed, ...quiet];
  say('4/5 fine-tuning the subject classifier from the general model');
  await run(finetune(['--from', dirs.general, '--out', dirs.fromGeneral, ...tune]));
  say('5/5 fine-tuning the subject classifier from the adapted model');
  await run(finetune(['--from', dirs.adapted, '--out', dirs.fromAdapted, ...tune]));

  for (const dir of Object.values(dirs).slice(1)) await plotRun(dir);

  const score = (dir: string, model: string, pretrainingSteps: number): DemoRow => {
    const e = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) as { accuracy: number; macroF1: number; loss?: number };
    return { model, pretrainingSteps, accuracy: e.accuracy, macroF1: e.macroF1, loss: e.loss ?? null, run: dir };
  };
  const rows = [
    score(dirs.fromGeneral, 'general', plan.pretrain.steps),
    score(dirs.fromAdapted, 'general + domain-adapted', plan.pretrain.steps + plan.adapt.steps),
  ];
  const baseline = majorityBaseline(evalRecords.map((r) => r.label ?? ''));
  const table = resultsTable(rows, baseline, evalRecords.length);
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(join(out, 'results.md'), `# plm-torch demo${values.quick ? ' (quick)' : ''}\n\n${table}\nTook ${seconds.toFixed(0)} s. Plots: */metrics.svg.\n`);
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ quick: values.quick, seconds, plan, rows, baseline, evalRecords: evalRecords.length }, null, 2)}\n`);
  process.stdout.write(`\n${table}\nresults, models and plots (*/metrics.svg) in ${out} (${seconds.toFixed(0)} s)\n`);
  return 0;
}
