// The worker side of ModelWorker: holds one model folder and answers predict and evaluate
// requests, one at a time, in the order they came.
import { parentPort, workerData } from 'node:worker_threads';

import { BertTokenizer } from '../data/tokenizer.js';
import { evaluateModelFolder, folderArchitecture, type EvaluationSource } from '../inference/evaluate-folder.js';
import { classify, fillMasks, type ScoreFunction } from '../inference/predictions.js';
import { BertForMaskedLM } from '../models/bert/for-masked-lm.js';
import { BertForSequenceClassification } from '../models/bert/for-tasks.js';
import { setNumThreads } from '../torch/index.js';

export type ModelRequest =
  | { id: number; type: 'predict'; texts: string[]; textPair?: string | null; topK?: number; functionToApply?: ScoreFunction }
  | { id: number; type: 'evaluate'; source: EvaluationSource };

export type ModelResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string } | { id: 0; ok: true; value: { architecture: string } };

const port = parentPort!;
const { dir, threads } = workerData as { dir: string; threads?: number };
if (threads !== undefined) setNumThreads(threads);

try {
  const architecture = folderArchitecture(dir);
  const tokenizer = BertTokenizer.fromPretrained(dir);
  const model = architecture === 'BertForSequenceClassification' ? await BertForSequenceClassification.fromPretrained(dir) : await BertForMaskedLM.fromPretrained(dir);
  let queue = Promise.resolve();
  port.on('message', (request: ModelRequest) => {
    queue = queue.then(async () => {
      try {
        let value: unknown;
        if (request.type === 'evaluate') value = await evaluateModelFolder(dir, request.source);
        else if (model instanceof BertForSequenceClassification) value = await classify(model, tokenizer, request.texts, { textPair: request.textPair ?? null, functionToApply: request.functionToApply });
        else value = await fillMasks(model, tokenizer, request.texts, { topK: request.topK ?? 5 });
        port.postMessage({ id: request.id, ok: true, value } satisfies ModelResponse);
      } catch (err) {
        port.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ModelResponse);
      }
    });
  });
  port.postMessage({ id: 0, ok: true, value: { architecture } } satisfies ModelResponse);
} catch (err) {
  port.postMessage({ id: 0, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ModelResponse);
}
