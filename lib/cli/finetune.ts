// plm-torch finetune: sequence classification from a pretrained (or adapted) model folder.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { labelSet } from '../data/classification-collator.js';
import { readRecords } from '../data/records.js';
import { Tokenizer } from '../data/tokenizer.js';
import { AutoModelForSequenceClassification } from '../models/auto.js';
import { readJsonObject } from '../io/json-file.js';
import { loadSafetensors } from '../io/safetensors.js';
import { manualSeed } from '../torch/creation.js';
import { listCheckpoints } from '../train/checkpoint.js';
import { ClassificationBatches, encodeRecords, evaluationBatches, type ClassificationBatch } from '../train/classification-batches.js';
import { evaluateClassification } from '../train/evaluate.js';
import { Trainer, type TrainableModel } from '../train/trainer.js';
import { integer, number, parseCommand, required, UsageError } from './args.js';
import { trainInTerminal } from './progress.js';

const HELP = `Usage: plm-torch finetune --from DIR --train FILE.jsonl --eval FILE.jsonl --out DIR [options]

Fine-tunes a sequence classifier from a model folder (pretrained, adapted, or any Hugging
Face encoder of a family plm-torch knows). JSONL lines: {"text": ..., "text_pair"?: ..., "label": ...}, labels strings or
integers. Evaluates on --eval every epoch (or --eval-every steps), stops early when accuracy
stops improving, and leaves the best model in OUT with eval.json. Ctrl-C stops at the next
step: OUT then holds the best model so far, eval.json says where it stopped, and the same
command with --resume continues exactly where it stopped.

  --from DIR          the model folder to start from (with its tokenizer)
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

/** What a finetune run leaves in OUT: with any of them there, a new run needs --resume or --overwrite. */
const RUN_MARKERS = ['metrics.jsonl', 'checkpoints', 'best', 'eval.json', 'model.safetensors'];
/** Everything plm-torch writes into a finetune OUT (plot's metrics.svg and .png too): what --overwrite deletes. */
const RUN_FILES = [...RUN_MARKERS, 'config.json', 'tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'metrics.svg', 'metrics.png'];

/**
 * A second run into an OUT holding a run would append to its metrics.jsonl (and its plot would
 * draw both), so it needs --resume (a stopped run with a checkpoint) or --overwrite.
 */
function checkPreviousRun(out: string, resume: boolean, overwrite: boolean): void {
  if (resume && overwrite) throw new UsageError('--resume continues the run in OUT and --overwrite replaces it: give one of them');
  if (overwrite) return;
  const previous = RUN_MARKERS.filter((name) => existsSync(join(out, name)));
  if (previous.length === 0) return;
  if (!resume) throw new UsageError(`--out: ${out} holds a previous run (${previous.join(', ')}): pass --resume to continue it, --overwrite to replace it, or choose another --out`);
  const evalPath = join(out, 'eval.json');
  if (existsSync(evalPath) && readJsonObject(evalPath, 'eval report').stopped !== true) {
    throw new UsageError(`--resume: ${out} holds a finished run (eval.json): pass --overwrite to train it again, or choose another --out`);
  }
  if (listCheckpoints(out).length === 0) throw new UsageError(`--resume: ${out} holds a run (${previous.join(', ')}) but no checkpoint to continue from: pass --overwrite to start it again`);
}

/** One argument as a POSIX shell reads it back. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The evaluation logged at `step` in OUT/metrics.jsonl (this run's or, resumed, an earlier part's). */
function loggedEvaluation(out: string, step: number): Record<string, number> | null {
  const path = join(out, 'metrics.jsonl');
  if (!existsSync(path)) return null;
  let found: Record<string, number> | null = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.includes('"eval"')) continue;
    try {
      const record = JSON.parse(line) as { step?: number; eval?: Record<string, number> };
      if (record.step === step && record.eval) found = record.eval;
    } catch {
      // a line cut short by a killed process
    }
  }
  return found;
}

export async function finetune(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      from: { type: 'string' },
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
  const from = required(values.from, '--from');
  const out = required(values.out, '--out');
  const epochs = integer(values.epochs, '--epochs', 3);
  const batchSize = integer(values['batch-size'], '--batch-size', 16);
  const lr = number(values.lr, '--lr', 5e-5);
  const maxLength = integer(values['max-length'], '--max-length', 128, 4);
  const patience = integer(values.patience, '--patience', 3);
  const seed = integer(values.seed, '--seed', 42, 0);
  const resume = values.resume === true;
  const overwrite = values.overwrite === true;
  if (resolve(out) === resolve(from)) throw new UsageError(`--out: ${out} is the --from folder; the classifier would replace the model it starts from: choose another --out`);
  checkPreviousRun(out, resume, overwrite);
  const trainRecords = readRecords(required(values.train, '--train'));
  const evalRecords = readRecords(required(values.eval, '--eval'));
  if (!existsSync(from)) throw new UsageError(`--from: ${from} does not exist`);

  const labels = labelSet(trainRecords);
  if (labels.length < 2) throw new Error(`the training records have ${labels.length} label(s); classification needs at least 2`);
  const labelIds = new Map(labels.map((l, i) => [l, i]));
  const tokenizer = Tokenizer.fromPretrained(from);
  const train = await encodeRecords(tokenizer, trainRecords, labelIds, maxLength);
  const evaluation = await encodeRecords(tokenizer, evalRecords, labelIds, maxLength);

  manualSeed(seed);
  const id2label = Object.fromEntries(labels.map((l, i) => [String(i), String(l)]));
  const label2id = Object.fromEntries(labels.map((l, i) => [String(l), i]));
  const model = await AutoModelForSequenceClassification.fromPretrained(from, {
    // float32 master weights whatever the folder holds; --bf16 trains under autocast.
    dtype: 'float32',
    config: { id2label, label2id, problem_type: 'single_label_classification' },
  });
  const batches = new ClassificationBatches(train, batchSize, seed);
  const steps = epochs * batches.epochLength;
  const evaluate = () => {
    const m = evaluateClassification(model, evaluationBatches(evaluation, 64));
    return { accuracy: m.accuracy, macroF1: m.macroF1, loss: m.loss };
  };
  // Cleared only now, once every input has been read without an error.
  if (overwrite) for (const name of RUN_FILES) rmSync(join(out, name), { recursive: true, force: true });
  // This command again, with --resume: how a stopped run continues.
  const again = `plm-torch finetune ${[...args.filter((a) => a !== '--overwrite' && a !== '--resume'), '--resume'].map(shellWord).join(' ')}`;
  const trainer = new Trainer<ClassificationBatch>({
    model: model as unknown as TrainableModel<ClassificationBatch>,
    batches,
    out,
    steps,
    lr,
    warmupSteps: Math.floor(steps / 10),
    evalEvery: integer(values['eval-every'], '--eval-every', batches.epochLength),
    evaluate,
    earlyStopping: { metric: 'accuracy', patience },
    resume,
    resumeHint: `to continue: ${again}`,
  });
  const bestDir = join(out, 'best');
  // The best evaluation's weights, as transformers' load_best_model_at_end.
  const loadBest = () => {
    if (!trainer.best || !existsSync(join(bestDir, 'model.safetensors'))) return false;
    const weights = loadSafetensors(join(bestDir, 'model.safetensors'));
    model.loadStateDict(weights, { strict: false });
    for (const t of Object.values(weights)) t.dispose();
    return true;
  };
  if ((await trainInTerminal(trainer, steps, { quiet: values.quiet })).cancelled) {
    if (trainer.step === 0) return 130; // nothing trained: OUT is as it was
    // A loadable folder of the best weights so far (best/ stays, for --resume) and the report.
    const best = loadBest() ? trainer.best : null;
    await model.savePretrained(out);
    tokenizer.save(out);
    const metrics = best ? loggedEvaluation(out, best.step) : null;
    const weights = best ? `the best evaluation's, at step ${best.step}` : `step ${trainer.step}'s (no evaluation yet)`;
    const report = {
      stopped: true, steps: trainer.step, totalSteps: steps, ...(metrics ?? {}), bestStep: best?.step ?? null, weights, labels, from,
      note: `stopped on request at step ${trainer.step} of ${steps}; ${trainer.resumeHint}`,
    };
    writeFileSync(join(out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (!values.quiet) {
      const accuracy = metrics?.accuracy === undefined ? '' : `: accuracy ${(metrics.accuracy * 100).toFixed(1)}%`;
      process.stdout.write(`stopped at step ${trainer.step} of ${steps} → ${out} holds the weights of ${best ? `step ${best.step}, the best so far${accuracy}` : `step ${trainer.step} (no evaluation yet)`}\n`);
    }
    return 130;
  }
  loadBest();
  rmSync(bestDir, { recursive: true, force: true });
  const final = evaluateClassification(model, evaluationBatches(evaluation, 64));
  await model.savePretrained(out);
  tokenizer.save(out);
  const report = { ...final, labels, bestStep: trainer.best?.step ?? trainer.step, steps: trainer.step, from };
  writeFileSync(join(out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (!values.quiet) {
    process.stdout.write(`fine-tuned ${trainer.step} steps (best at ${report.bestStep}) → ${out}: accuracy ${(final.accuracy * 100).toFixed(1)}%, macro-F1 ${(final.macroF1 * 100).toFixed(1)}% on ${final.examples} records\n`);
  }
  return 0;
}
