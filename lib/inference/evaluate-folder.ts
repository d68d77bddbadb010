// A model folder's metrics: classification (accuracy, macro-F1, loss) on labelled JSONL, or
// MLM loss, perplexity and masked accuracy (and NSP accuracy with the NSP head) on a corpus.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PretrainingStream } from '../data/pretraining-stream.js';
import { readRecords } from '../data/records.js';
import { prepareShards, ShardedCorpus } from '../data/shards.js';
import { Tokenizer } from '../data/tokenizer.js';
import { AutoModelForPreTraining, AutoModelForSequenceClassification, folderTask } from '../models/auto.js';
import { maskedLmFromFolder } from './masked-lm-folder.js';
import { PretrainingBatches } from '../train/batches.js';
import { encodeRecords, evaluationBatches } from '../train/classification-batches.js';
import { evaluateClassification, evaluatePretraining, type ClassificationMetrics, type PretrainingMetrics } from '../train/evaluate.js';

export type EvaluationSource = { data: string } | { corpus: readonly string[]; batches?: number; batchSize?: number; seqLen?: number; seed?: number };

/** The architecture config.json names (transformers writes it); the family's masked LM when absent. */
export function folderArchitecture(dir: string): string {
  return folderTask(dir).architecture;
}

export async function evaluateModelFolder(dir: string, source: EvaluationSource): Promise<ClassificationMetrics | PretrainingMetrics> {
  const tokenizer = Tokenizer.fromPretrained(dir);
  const { family, task, architecture } = folderTask(dir);
  if ('data' in source) {
    if (task !== 'sequenceClassification') {
      throw new Error(`${dir} holds a ${architecture}, not a sequence classifier: labelled data needs a fine-tuned classifier (a corpus evaluates a pretrained model)`);
    }
    const model = await AutoModelForSequenceClassification.fromPretrained(dir);
    const labelIds = new Map<string | number, number>(Object.entries(model.config.fields.label2id).map(([k, v]) => [k, v]));
    const records = readRecords(source.data).map((r) => ({ ...r, label: typeof r.label === 'number' && !labelIds.has(r.label) ? String(r.label) : r.label }));
    const encoded = await encodeRecords(tokenizer, records, labelIds, 512);
    return evaluateClassification(model, evaluationBatches(encoded, 64));
  }
  const withNsp = task === 'preTraining' && family.nextSentencePrediction === true;
  const model = withNsp ? await AutoModelForPreTraining.fromPretrained(dir) : await maskedLmFromFolder(dir, architecture);
  const work = mkdtempSync(join(tmpdir(), 'plm-torch-eval-'));
  try {
    await prepareShards(source.corpus, tokenizer, join(work, 'shards'));
    const corpus = new ShardedCorpus(join(work, 'shards'));
    const seed = source.seed ?? 0;
    const batches = new PretrainingBatches(
      new PretrainingStream(corpus, { mode: withNsp ? 'nsp' : 'packed', maxSeqLength: source.seqLen ?? 128, seed, clsId: tokenizer.clsId, sepId: tokenizer.sepId }),
      { vocabSize: tokenizer.vocabSize, maskId: tokenizer.maskId, padId: tokenizer.padId, specialIds: tokenizer.specialIds, seed: seed + 1 },
      source.batchSize ?? 32,
    );
    const result = evaluatePretraining(model, Array.from({ length: source.batches ?? 20 }, () => batches.next()));
    corpus.close();
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
