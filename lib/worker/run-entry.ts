// The worker side of train.start(): runs one command with the trainer's events forwarded to
// the host, and stops at a step boundary when the host sets the shared stop flag.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { adapt } from '../cli/adapt.js';
import { finetune } from '../cli/finetune.js';
import { setTerminalReports } from '../cli/progress.js';
import { pretrain } from '../cli/pretrain.js';
import { setNumThreads } from '../torch/index.js';
import { observeTrainers, type TrainResult } from '../train/trainer.js';
import type { RunMessage } from './training-run.js';

const COMMANDS = { pretrain, adapt, finetune };

interface RunWorkerData {
  command: keyof typeof COMMANDS;
  args: string[];
  out: string;
  stop: SharedArrayBuffer;
  threads?: number;
}

const port = parentPort!;
const { command, args, out, stop, threads } = workerData as RunWorkerData;
const post = (message: RunMessage) => port.postMessage(message);
const stopFlag = new Int32Array(stop);
let last = null as TrainResult | null;

setTerminalReports(false);
if (threads !== undefined) setNumThreads(threads);
observeTrainers((trainer) => {
  trainer.stopWhen(() => Atomics.load(stopFlag, 0) === 1);
  // The host started this run with train.start(): that is what continues it, whatever the command.
  trainer.resumeHint = 'to continue, start the run again with resume: true';
  trainer.on('step', (record) => post({ type: 'progress', record: { ...record, total: trainer.options.steps } }));
  trainer.on('eval', (record) => post({ type: 'eval', record }));
  trainer.on('checkpoint', (record) => post({ type: 'checkpoint', record }));
  trainer.on('log', (record) => post({ type: 'log', record }));
  trainer.on('done', (result) => (last = result));
});

try {
  const code = await COMMANDS[command]([...args, '--quiet']);
  const cancelled = last?.cancelled === true || code === 130;
  const evalPath = join(out, 'eval.json');
  const metrics = !cancelled && existsSync(evalPath) ? (JSON.parse(readFileSync(evalPath, 'utf8')) as Record<string, unknown>) : null;
  post({ type: 'done', result: { step: last?.step ?? 0, cancelled, out, metrics } });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : 'Error' });
}
