// A model folder loaded in a worker thread: predictions and evaluations that never block the
// caller's event loop. openModel() resolves once the weights are in; close() ends the worker.
import type { Worker } from 'node:worker_threads';

import type { EvaluationSource } from '../inference/evaluate-folder.js';
import type { ClassPrediction, MaskPrediction, ScoreFunction } from '../inference/predictions.js';
import type { ClassificationMetrics, PretrainingMetrics } from '../train/evaluate.js';
import { startWorker } from './exec-argv.js';
import type { ModelRequest, ModelResponse } from './model-entry.js';
import type { Task } from '../models/tasks.js';

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };
type Request = ModelRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class ModelWorker {
  readonly dir: string;
  /** The architecture config.json names ('BertForSequenceClassification', 'RobertaForMaskedLM', ...). */
  readonly architecture: string;
  /** What the model does: 'sequenceClassification' predicts labels, a masked LM fills masks. */
  readonly task: Task;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #closed: Error | null = null;

  private constructor(dir: string, loaded: { architecture: string; task: Task }, worker: Worker) {
    this.dir = dir;
    this.architecture = loaded.architecture;
    this.task = loaded.task;
    this.#worker = worker;
    worker.on('message', (r: ModelResponse) => {
      const pending = this.#pending.get(r.id);
      if (!pending) return;
      this.#pending.delete(r.id);
      if (r.ok) pending.resolve(r.value);
      else pending.reject(new Error(r.message));
    });
    const fail = (err: Error) => {
      this.#closed ??= err;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the model worker for ${dir} exited (code ${code})`)));
  }

  static open(dir: string, options: { threads?: number; revision?: string } = {}): Promise<ModelWorker> {
    const worker = startWorker(new URL('./model-entry.js', import.meta.url), { workerData: { dir, threads: options.threads, revision: options.revision } });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once('error', onError);
      worker.once('message', (r: ModelResponse) => {
        worker.off('error', onError);
        if (r.ok) resolve(new ModelWorker(dir, r.value as { architecture: string; task: Task }, worker));
        else {
          void worker.terminate();
          reject(new Error(`${dir}: ${r.message}`));
        }
      });
    });
  }

  #request<T>(request: Request): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  /** A classifier's labels and scores for the texts (scores as `inference.classify`). */
  classify(texts: readonly string[], options: { textPair?: string | null; functionToApply?: ScoreFunction } = {}): Promise<ClassPrediction[]> {
    if (this.task !== 'sequenceClassification') return Promise.reject(new Error(`${this.dir} is a ${this.architecture}, not a sequence classifier; use fillMasks()`));
    return this.#request({ type: 'predict', texts: [...texts], textPair: options.textPair ?? null, functionToApply: options.functionToApply });
  }

  /** A masked language model's top fillers for every [MASK] of each text. */
  fillMasks(texts: readonly string[], options: { topK?: number } = {}): Promise<MaskPrediction[]> {
    if (this.task === 'sequenceClassification') return Promise.reject(new Error(`${this.dir} is a sequence classifier; use classify()`));
    return this.#request({ type: 'predict', texts: [...texts], topK: options.topK ?? 5 });
  }

  /** Metrics on labelled JSONL ({ data }) or a corpus ({ corpus }), as `plm-torch eval`. */
  evaluate(source: EvaluationSource): Promise<ClassificationMetrics | PretrainingMetrics> {
    return this.#request({ type: 'evaluate', source: 'corpus' in source ? { ...source, corpus: [...source.corpus] } : source });
  }

  async close(): Promise<void> {
    this.#closed ??= new Error(`the model worker for ${this.dir} is closed`);
    await this.#worker.terminate();
  }
}

/** Loads a model folder, or a hub id (org/name, with { revision }), in a worker thread. */
export function openModel(dir: string, options: { threads?: number; revision?: string } = {}): Promise<ModelWorker> {
  return ModelWorker.open(dir, options);
}
