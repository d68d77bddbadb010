// The worker side of train.start(): runs one recipe with the trainer's events forwarded to the
// host, and stops at a step boundary when the host sets the shared stop flag.
import { parentPort, workerData } from 'node:worker_threads';

import { setNumThreads } from '../torch/index.js';
import { adapt } from '../train/recipes/adapt.js';
import { finetune } from '../train/recipes/finetune.js';
import type { RecipeHooks, RecipeResult } from '../train/recipes/options.js';
import { pretrain } from '../train/recipes/pretrain.js';
import type { RunCommandOptions } from './run-options.js';
import type { RunMessage } from './training-run.js';

interface RunWorkerData {
  options: RunCommandOptions;
  stop: SharedArrayBuffer;
  threads?: number;
}

const port = parentPort!;
const { options, stop, threads } = workerData as RunWorkerData;
const post = (message: RunMessage) => port.postMessage(message);
const stopFlag = new Int32Array(stop);

if (threads !== undefined) setNumThreads(threads);
const hooks: RecipeHooks = {
  // The host started this run with train.start(): that is what continues it.
  resumeHint: 'to continue, start the run again with resume: true',
  onLog: (record) => post({ type: 'log', record }),
  onTrainer: (trainer) => {
    trainer.stopWhen(() => Atomics.load(stopFlag, 0) === 1);
    trainer.on('step', (record) => post({ type: 'progress', record: { ...record, total: trainer.options.steps } }));
    trainer.on('eval', (record) => post({ type: 'eval', record }));
    trainer.on('checkpoint', (record) => post({ type: 'checkpoint', record }));
    trainer.on('log', (record) => post({ type: 'log', record }));
  },
};

function run({ command, ...options }: RunCommandOptions): Promise<RecipeResult> {
  const recipes = { pretrain, adapt, finetune } as Record<string, (o: typeof options, h: RecipeHooks) => Promise<RecipeResult>>;
  return recipes[command]!(options, hooks);
}

try {
  const result = await run(options);
  post({ type: 'done', result: { step: result.step, cancelled: result.cancelled, out: result.out, metrics: result.cancelled ? null : result.metrics } });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : 'Error' });
}
