// The worker side of ModelWorker: holds one model folder and answers predict and evaluate
// requests, one at a time, in the order they came.
import { parentPort, workerData } from 'node:worker_threads';

import { Tokenizer } from '../data/tokenizer.js';
import { resolveModelDir } from '../hub/snapshot.js';
import { evaluateModelFolder, type EvaluationSource } from '../inference/evaluate-folder.js';
import { maskedLmFromFolder } from '../inference/masked-lm-folder.js';
import { classify, fillMasks, type ScoreFunction } from '../inference/predictions.js';
import { AutoModelForSequenceClassification, folderTask } from '../models/auto.js';
import type { MaskedLanguageModel, SequenceClassifier, Task } from '../models/tasks.js';
import { setNumThreads } from '../torch/index.js';

export type ModelRequest =
  | { id: number; type: 'predict'; texts: string[]; textPair?: string | null; topK?: number; functionToApply?: ScoreFunction }
  | { id: number; type: 'evaluate'; source: EvaluationSource };

export type ModelResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string } | { id: 0; ok: true; value: { architecture: string; task: Task } };

const port = parentPort!;
const { dir: given, threads, revision } = workerData as { dir: string; threads?: number; revision?: string };
if (threads !== undefined) setNumThreads(threads);

try {
  // A hub id downloads here, in the worker, so the host's event loop never waits for it.
  const dir = await resolveModelDir(given, revision ? { revision } : {});
  const { task, architecture } = folderTask(dir);
  const tokenizer = Tokenizer.fromPretrained(dir);
  const isClassifier = task === 'sequenceClassification';
  const model: { classifier: SequenceClassifier } | { maskedLM: MaskedLanguageModel } = isClassifier
    ? { classifier: await AutoModelForSequenceClassification.fromPretrained(dir) }
    : { maskedLM: await maskedLmFromFolder(dir, architecture) };
  let queue = Promise.resolve();
  port.on('message', (request: ModelRequest) => {
    queue = queue.then(async () => {
      try {
        let value: unknown;
        if (request.type === 'evaluate') value = await evaluateModelFolder(dir, request.source);
        else if ('classifier' in model) value = await classify(model.classifier, tokenizer, request.texts, { textPair: request.textPair ?? null, functionToApply: request.functionToApply });
        else value = await fillMasks(model.maskedLM, tokenizer, request.texts, { topK: request.topK ?? 5 });
        port.postMessage({ id: request.id, ok: true, value } satisfies ModelResponse);
      } catch (err) {
        port.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ModelResponse);
      }
    });
  });
  port.postMessage({ id: 0, ok: true, value: { architecture, task: isClassifier ? task : 'maskedLM' } } satisfies ModelResponse);
} catch (err) {
  port.postMessage({ id: 0, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ModelResponse);
}
