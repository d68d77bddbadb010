// Fine-tuning a sequence classifier from a model folder on JSONL records: evaluation every epoch
// (or evalEvery steps), early stopping on accuracy, the best weights kept, eval.json written.
// A run stopped on request leaves a loadable folder of the best weights so far and resumes.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { labelSet } from '../../data/classification-collator.js';
import { readRecords } from '../../data/records.js';
import { Tokenizer } from '../../data/tokenizer.js';
import { parseHubId } from '../../hub/hub-id.js';
import { resolveModelDir } from '../../hub/snapshot.js';
import { readJsonObject } from '../../io/json-file.js';
import { loadSafetensors } from '../../io/safetensors.js';
import { AutoModelForSequenceClassification } from '../../models/auto.js';
import { manualSeed } from '../../torch/creation.js';
import { listCheckpoints } from '../checkpoint.js';
import { ClassificationBatches, encodeRecords, evaluationBatches, type ClassificationBatch } from '../classification-batches.js';
import { evaluateClassification } from '../evaluate.js';
import { Trainer, type TrainableModel } from '../trainer.js';
import { OptionError, OptionReader, type RecipeHooks, type RecipeResult } from './options.js';

export interface FinetuneOptions {
  /** The model folder to start from (with its tokenizer), or a hub id (org/name). */
  from: string;
  /** With a hub id: a branch, tag or commit (default main). */
  revision?: string;
  /** Training records (JSONL: {"text", "text_pair"?, "label"}). */
  train: string;
  /** Evaluation records, the same format. */
  eval: string;
  /** Where the classifier goes. */
  out: string;
  /** Passes over the training records (default 3). */
  epochs?: number;
  /** Records per step (default 16). */
  batchSize?: number;
  /** Peak learning rate (default 5e-5). */
  lr?: number;
  /** Tokens per record, pairs included (default 128). */
  maxLength?: number;
  /** Steps between evaluations (default one epoch). */
  evalEvery?: number;
  /** Evaluations without improvement before stopping (default 3). */
  patience?: number;
  seed?: number;
  /** Continue the stopped run in out from its checkpoint. */
  resume?: boolean;
  /** Replace a previous run in out: its metrics, checkpoints, model and eval.json. */
  overwrite?: boolean;
}

/** Every option's name, so that a misspelt one is refused rather than ignored. */
const FINETUNE_OPTIONS = Object.keys({ from: true, revision: true, train: true, eval: true, out: true, epochs: true, batchSize: true, lr: true, maxLength: true, evalEvery: true, patience: true, seed: true, resume: true, overwrite: true } satisfies Record<keyof FinetuneOptions, true>);

/** What a finetune run leaves in OUT: with any of them there, a new run needs resume or overwrite. */
const RUN_MARKERS = ['metrics.jsonl', 'checkpoints', 'best', 'eval.json', 'model.safetensors'];
/** Everything plm-torch writes into a finetune OUT (plot's metrics.svg and .png too): what overwrite deletes. */
const RUN_FILES = [...RUN_MARKERS, 'config.json', 'tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'metrics.svg', 'metrics.png'];

/**
 * A second run into an OUT holding a run would append to its metrics.jsonl (and its plot would
 * draw both), so it needs resume (a stopped run with a checkpoint) or overwrite.
 */
function checkPreviousRun(out: string, resume: boolean, overwrite: boolean, options: OptionReader): void {
  const [resumeName, overwriteName] = [options.enable('resume'), options.enable('overwrite')];
  if (resume && overwrite) throw new OptionError(`${resumeName} continues the run in OUT and ${overwriteName} replaces it: give one of them`);
  if (overwrite) return;
  const previous = RUN_MARKERS.filter((name) => existsSync(join(out, name)));
  if (previous.length === 0) return;
  if (!resume) throw new OptionError(`${options.name('out')}: ${out} holds a previous run (${previous.join(', ')}): pass ${resumeName} to continue it, ${overwriteName} to replace it, or choose another ${options.name('out')}`);
  const evalPath = join(out, 'eval.json');
  if (existsSync(evalPath) && readJsonObject(evalPath, 'eval report').stopped !== true) {
    throw new OptionError(`${resumeName}: ${out} holds a finished run (eval.json): pass ${overwriteName} to train it again, or choose another ${options.name('out')}`);
  }
  if (listCheckpoints(out).length === 0) throw new OptionError(`${resumeName}: ${out} holds a run (${previous.join(', ')}) but no checkpoint to continue from: pass ${overwriteName} to start it again`);
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

export async function finetune(o: FinetuneOptions, hooks: RecipeHooks = {}): Promise<RecipeResult> {
  const options = new OptionReader(hooks);
  if (o === null || typeof o !== 'object') throw new OptionError('finetune: expected options like { from, train, eval, out }');
  options.known(o, FINETUNE_OPTIONS, 'finetune');
  const from = options.required(options.string(o.from, 'from'), 'from');
  const out = options.required(options.string(o.out, 'out'), 'out');
  const epochs = options.integer(o.epochs, 'epochs', 3);
  const batchSize = options.integer(o.batchSize, 'batchSize', 16);
  const lr = options.positive(o.lr, 'lr', 5e-5);
  const maxLength = options.integer(o.maxLength, 'maxLength', 128, 4);
  const patience = options.integer(o.patience, 'patience', 3);
  const seed = options.integer(o.seed, 'seed', 42, 0);
  const resume = options.flag(o.resume, 'resume');
  const overwrite = options.flag(o.overwrite, 'overwrite');
  if (resolve(out) === resolve(from)) throw new OptionError(`${options.name('out')}: ${out} is the ${options.name('from')} folder; the classifier would replace the model it starts from: choose another ${options.name('out')}`);
  checkPreviousRun(out, resume, overwrite, options);
  const trainRecords = readRecords(options.required(options.string(o.train, 'train'), 'train'));
  const evalRecords = readRecords(options.required(options.string(o.eval, 'eval'), 'eval'));
  if (!existsSync(from) && parseHubId(from) === null) throw new OptionError(`${options.name('from')}: ${from} does not exist (and it is not a hub id, which is org/name or name)`);
  const revision = options.string(o.revision, 'revision');
  const fromDir = await resolveModelDir(from, { files: 'model', ...(revision ? { revision } : {}), ...(hooks.onDownload ? { onProgress: hooks.onDownload } : {}) });

  const labels = labelSet(trainRecords);
  if (labels.length < 2) throw new Error(`the training records have ${labels.length} label(s); classification needs at least 2`);
  const labelIds = new Map(labels.map((l, i) => [l, i]));
  const tokenizer = Tokenizer.fromPretrained(fromDir);
  const train = await encodeRecords(tokenizer, trainRecords, labelIds, maxLength);
  const evaluation = await encodeRecords(tokenizer, evalRecords, labelIds, maxLength);

  manualSeed(seed);
  const id2label = Object.fromEntries(labels.map((l, i) => [String(i), String(l)]));
  const label2id = Object.fromEntries(labels.map((l, i) => [String(l), i]));
  const model = await AutoModelForSequenceClassification.fromPretrained(fromDir, {
    // float32 master weights whatever the folder holds.
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
  const trainer = new Trainer<ClassificationBatch>({
    model: model as unknown as TrainableModel<ClassificationBatch>,
    batches,
    out,
    steps,
    lr,
    warmupSteps: Math.floor(steps / 10),
    evalEvery: options.integer(o.evalEvery, 'evalEvery', batches.epochLength),
    evaluate,
    earlyStopping: { metric: 'accuracy', patience },
    resume,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.resumeHint ? { resumeHint: hooks.resumeHint } : {}),
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
  hooks.onTrainer?.(trainer as unknown as Trainer<unknown>);
  const result = await trainer.train();
  if (result.cancelled) {
    if (trainer.step === 0) return { step: 0, cancelled: true, out, metrics: null }; // nothing trained: OUT is as it was
    // A loadable folder of the best weights so far (best/ stays, for resume) and the report.
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
    return { step: trainer.step, cancelled: true, out, metrics: report };
  }
  loadBest();
  rmSync(bestDir, { recursive: true, force: true });
  const final = evaluateClassification(model, evaluationBatches(evaluation, 64));
  await model.savePretrained(out);
  tokenizer.save(out);
  const report = { ...final, labels, bestStep: trainer.best?.step ?? trainer.step, steps: trainer.step, from };
  writeFileSync(join(out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { step: trainer.step, cancelled: false, out, metrics: report };
}
