// plm-torch eval: a model folder on a corpus (MLM metrics) or on labelled JSONL (classification).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { PretrainingStream } from '../data/pretraining-stream.js';
import { prepareShards, ShardedCorpus } from '../data/shards.js';
import { BertTokenizer } from '../data/tokenizer.js';
import { BertForMaskedLM } from '../models/bert/for-masked-lm.js';
import { BertForPreTraining } from '../models/bert/for-pretraining.js';
import { BertForSequenceClassification } from '../models/bert/for-tasks.js';
import { PretrainingBatches } from '../train/batches.js';
import { encodeRecords, evaluationBatches } from '../train/classification-batches.js';
import { evaluateClassification, evaluatePretraining } from '../train/evaluate.js';
import { integer, required, usage, UsageError } from './args.js';
import { readRecords } from './finetune.js';

const HELP = `Usage: plm-torch eval --model DIR (--corpus FILES... | --data FILE.jsonl) [--json]

With --corpus: MLM loss, perplexity and masked-token accuracy (and NSP accuracy for a model
with the NSP head) on masked batches of the corpus. With --data: loss, accuracy and macro-F1
of a sequence classifier on JSONL records {"text", "text_pair"?, "label"}.

  --model DIR       a model folder with its tokenizer
  --corpus FILE     text or JSONL corpus (gzip, globs); repeat for more
  --data FILE       labelled JSONL records
  --batches N       masked batches to evaluate with --corpus (default 20)
  --batch-size B    sequences per batch (default 32)
  --seq-len L       sequence length (default 128)
  --seed S          seed for masking (default 0)
  --json            print one JSON object
`;

function architecture(dir: string): string {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { architectures?: string[] };
  return config.architectures?.[0] ?? 'BertForMaskedLM';
}

export async function evaluate(args: string[]): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        model: { type: 'string' },
        corpus: { type: 'string', multiple: true },
        data: { type: 'string' },
        batches: { type: 'string' },
        'batch-size': { type: 'string' },
        'seq-len': { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = required(values.model, '--model');
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--model: ${dir} is not a model folder (no config.json)`);
  if (!values.corpus === !values.data) throw new UsageError('give either --corpus FILES or --data FILE.jsonl');
  const tokenizer = BertTokenizer.fromPretrained(dir);
  let result: Record<string, unknown>;
  if (values.data) {
    const model = await BertForSequenceClassification.fromPretrained(dir);
    const label2id = model.config.fields.label2id;
    const labelIds = new Map<string | number, number>(Object.entries(label2id).map(([k, v]) => [k, v]));
    const records = readRecords(values.data).map((r) => ({ ...r, label: typeof r.label === 'number' && !labelIds.has(r.label) ? String(r.label) : r.label }));
    const encoded = await encodeRecords(tokenizer, records, labelIds, 512);
    result = { ...evaluateClassification(model, evaluationBatches(encoded, 64)) };
  } else {
    const withNsp = architecture(dir) === 'BertForPreTraining';
    const model = withNsp ? await BertForPreTraining.fromPretrained(dir) : await BertForMaskedLM.fromPretrained(dir);
    const work = mkdtempSync(join(tmpdir(), 'plm-torch-eval-'));
    try {
      await prepareShards(values.corpus!, tokenizer, join(work, 'shards'));
      const corpus = new ShardedCorpus(join(work, 'shards'));
      const seed = integer(values.seed, '--seed', 0, 0);
      const batches = new PretrainingBatches(
        new PretrainingStream(corpus, { mode: withNsp ? 'nsp' : 'packed', maxSeqLength: integer(values['seq-len'], '--seq-len', 128, 8), seed, clsId: tokenizer.clsId, sepId: tokenizer.sepId }),
        { vocabSize: tokenizer.vocabSize, maskId: tokenizer.maskId, padId: tokenizer.padId, specialIds: tokenizer.specialIds, seed: seed + 1 },
        integer(values['batch-size'], '--batch-size', 32),
      );
      const n = integer(values.batches, '--batches', 20);
      result = { ...evaluatePretraining(model, Array.from({ length: n }, () => batches.next())) };
      corpus.close();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${Object.entries(result).map(([k, v]) => `${k.padEnd(16)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}`).join('\n')}\n`);
  return 0;
}
