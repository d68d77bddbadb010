// train.start(): a pretraining, adaptation or fine-tuning run in a worker thread, so the host's
// event loop (an Electron main process, a server) never waits for a training step.
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';

import { describeValue } from '../torch/describe.js';
import type { LogRecord, StepRecord } from '../train/trainer.js';
import { startWorker } from './exec-argv.js';
import { commandArgs, type RunCommandOptions } from './run-options.js';

export type RunOptions = RunCommandOptions & {
  /** Aborting stops the run at the next step boundary, after a checkpoint (as run.cancel()). */
  signal?: AbortSignal;
  /** libtorch's intra-op threads; note that libtorch shares this setting across the process. */
  threads?: number;
};

export interface RunResult {
  step: number;
  /** True when cancel() or the signal stopped the run; its last checkpoint resumes it. */
  cancelled: boolean;
  out: string;
  /** OUT/eval.json of a finished run; null when cancelled. */
  metrics: Record<string, unknown> | null;
}

export type ProgressRecord = StepRecord & { total: number };

export type RunMessage =
  | { type: 'progress'; record: ProgressRecord }
  | { type: 'eval'; record: { step: number } & Record<string, number> }
  | { type: 'checkpoint'; record: { step: number; dir: string } }
  | { type: 'log'; record: LogRecord }
  | { type: 'done'; result: RunResult }
  | { type: 'error'; message: string; name: string };

export interface RunEvents {
  progress: [ProgressRecord];
  eval: [{ step: number } & Record<string, number>];
  checkpoint: [{ step: number; dir: string }];
  log: [LogRecord];
  done: [RunResult];
  error: [Error];
}

/** A run started by start(): events as it trains, `done` when it ends. */
export class TrainingRun extends EventEmitter<RunEvents> {
  /** Resolves with the run's result; rejects with the worker's error (the host lives on). */
  readonly done: Promise<RunResult>;
  readonly #worker: Worker;
  readonly #stop: Int32Array;
  #settled = false;

  constructor(options: RunOptions) {
    super();
    if (options === null || typeof options !== 'object') throw new TypeError('start(): expected options like { command: \'pretrain\', corpus, tokenizer, out }');
    const { signal, threads, ...command } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('start(): signal must be an AbortSignal');
    if ('help' in command || 'config' in command) throw new TypeError('start(): help and config are command-line flags; pass the options themselves');
    if (!['pretrain', 'adapt', 'finetune'].includes(command.command)) throw new TypeError(`start(): command must be 'pretrain', 'adapt' or 'finetune', got ${describeValue(command.command)}`);
    if (typeof command.out !== 'string' || command.out === '') throw new TypeError('start(): out must name the run folder');
    // Only strings, numbers, booleans and string arrays cross into the worker (as on a command line).
    commandArgs(command);
    const stop = new SharedArrayBuffer(4);
    this.#stop = new Int32Array(stop);
    this.#worker = startWorker(new URL('./run-entry.js', import.meta.url), { workerData: { options: command, stop, threads } });
    this.done = new Promise<RunResult>((resolve, reject) => {
      const fail = (err: Error) => {
        if (this.#settled) return;
        this.#settled = true;
        if (this.listenerCount('error') > 0) this.emit('error', err);
        reject(err);
      };
      this.#worker.on('message', (message: RunMessage) => {
        switch (message.type) {
          case 'done':
            this.#settled = true;
            this.emit('done', message.result);
            resolve(message.result);
            break;
          case 'error': {
            const err = new Error(message.message);
            err.name = message.name;
            fail(err);
            break;
          }
          default:
            this.emit(message.type, message.record as never);
        }
      });
      this.#worker.on('error', (err) => fail(err));
      this.#worker.on('exit', (code) => fail(new Error(`the training worker exited with code ${code} before the run ended`)));
    });
    // The host survives a failed run even if nobody awaits `done`; awaiting it still rejects.
    this.done.catch(() => {});
    if (signal) {
      if (signal.aborted) this.cancel();
      else signal.addEventListener('abort', () => this.cancel(), { once: true });
    }
  }

  /** Stops the run at the next step boundary; it writes a checkpoint first and `done` resolves with cancelled: true. */
  cancel(): void {
    Atomics.store(this.#stop, 0, 1);
  }

  /** Ends the worker at once (mid-step if need be); `done` rejects. Prefer cancel(). */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** Starts a run in a worker thread and returns at once. */
export function start(options: RunOptions): TrainingRun {
  return new TrainingRun(options);
}
