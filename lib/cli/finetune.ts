// plm-torch finetune: sequence classification from a pretrained (or adapted) model folder.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { labelSet } from '../data/classification-collator.js';
import { readRecords } from '../data/records.js';
import { BertTokenizer } from '../data/tokenizer.js';
import { BertForSequenceClassification } from '../models/bert/for-tasks.js';
import { loadSafetensors } from '../io/safetensors.js';
import { manualSeed } from '../torch/creation.js';
import { ClassificationBatches, encodeRecords, evaluationBatches, type ClassificationBatch } from '../train/classification-batches.js';
import { evaluateClassification } from '../train/evaluate.js';
import { Trainer, type TrainableModel } from '../train/trainer.js';
import { integer, number, parseCommand, required, UsageError } from './args.js';
import { trainInTerminal } from './progress.js';

const HELP = `Usage: plm-torch finetune --from DIR --train FILE.jsonl --eval FILE.jsonl --out DIR [options]

Fine-tunes a sequence classifier from a model folder (pretrained, adapted, or any Hugging
Face BERT). JSONL lines: {"text": ..., "text_pair"?: ..., "label": ...}, labels strings or
integers. Evaluates on --eval every epoch (or --eval-every steps), stops early when accuracy
stops improving, and leaves the best model in OUT with eval.json.

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
  --quiet             no progress output
`;

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
  const trainRecords = readRecords(required(values.train, '--train'));
  const evalRecords = readRecords(required(values.eval, '--eval'));
  if (!existsSync(from)) throw new UsageError(`--from: ${from} does not exist`);

  const labels = labelSet(trainRecords);
  if (labels.length < 2) throw new Error(`the training records have ${labels.length} label(s); classification needs at least 2`);
  const labelIds = new Map(labels.map((l, i) => [l, i]));
  const tokenizer = BertTokenizer.fromPretrained(from);
  const train = await encodeRecords(tokenizer, trainRecords, labelIds, maxLength);
  const evaluation = await encodeRecords(tokenizer, evalRecords, labelIds, maxLength);

  manualSeed(seed);
  const id2label = Object.fromEntries(labels.map((l, i) => [String(i), String(l)]));
  const label2id = Object.fromEntries(labels.map((l, i) => [String(l), i]));
  const model = await BertForSequenceClassification.fromPretrained(from, {
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
  rmSync(join(out, 'best'), { recursive: true, force: true });
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
  });
  if ((await trainInTerminal(trainer, steps, { quiet: values.quiet })).cancelled) return 130;
  // The best evaluation's weights, as transformers' load_best_model_at_end.
  const bestDir = join(out, 'best');
  if (existsSync(join(bestDir, 'model.safetensors'))) {
    const weights = loadSafetensors(join(bestDir, 'model.safetensors'));
    model.loadStateDict(weights, { strict: false });
    for (const t of Object.values(weights)) t.dispose();
    rmSync(bestDir, { recursive: true, force: true });
  }
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
