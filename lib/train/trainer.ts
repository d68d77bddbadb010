// One training loop for pretraining, domain adaptation and fine-tuning: gradient
// accumulation, clipping, AdamW or LAMB with a schedule, optional bfloat16 autocast with
// float32 master weights, metrics to OUT/metrics.jsonl, checkpoints that resume exactly.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { Module } from '../nn/module.js';
import { AdamW } from '../optim/adamw.js';
import { clipGradNorm_ } from '../optim/clip.js';
import { weightDecayGroups } from '../optim/groups.js';
import { LAMB } from '../optim/lamb.js';
import type { Optimizer } from '../optim/optimizer.js';
import { LRScheduler, type LrLambda } from '../optim/schedules.js';
import * as schedules from '../optim/schedules.js';
import { autocast } from '../torch/autocast.js';
import { tidy } from '../torch/scope.js';
import type { Tensor } from '../torch/tensor.js';
import type { BatchSource } from './batches.js';
import { removeStaleTemporaries } from '../io/stale-temporaries.js';
import { checkpointDir, listCheckpoints, restoreTrainingCheckpoint, saveTrainingCheckpoint, type TrainerState } from './checkpoint.js';
import { MetricsLog } from './metrics-log.js';
import type { DistributedDataParallel, ForwardModule } from '../distributed/ddp.js';
import { tensor as makeTensor } from '../torch/creation.js';
import { getRngState } from '../torch/autocast.js';
import { describeValue } from '../torch/describe.js';

/**
 * What the Trainer needs of a model, whatever its family or task: a Module whose forward takes
 * a batch and returns a loss (and, optionally, its named parts, such as pretraining's mlm and
 * nsp, each logged as `<name>Loss`), and that saves itself as a Hugging Face folder
 * (checkpoints and OUT/best).
 */
export interface TrainableModel<B> extends Module {
  forward(batch: B): { loss: Tensor | null; losses?: Readonly<Record<string, Tensor | null>> };
  savePretrained(dir: string): Promise<void>;
}

export interface TrainerOptions<B> {
  model: TrainableModel<B>;
  batches: BatchSource<B>;
  out: string;
  steps: number;
  lr?: number;
  weightDecay?: number;
  optimizer?: 'adamw' | 'lamb';
  schedule?: 'linear' | 'cosine' | 'constant' | 'poly' | LrLambda;
  warmupSteps?: number;
  gradientAccumulation?: number;
  maxGradNorm?: number;
  /** 'bfloat16' runs forward and backward under autocast; weights and optimizer stay float32. */
  mixedPrecision?: 'bfloat16' | null;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  /** Continue from the newest complete checkpoint under out/checkpoints. */
  resume?: boolean;
  evalEvery?: number;
  evaluate?: () => Record<string, number> | Promise<Record<string, number>>;
  /**
   * Early stopping: the evaluation metric to watch (higher is better, e.g. 'accuracy') and how
   * many evaluations without improvement to allow. The best model is saved to OUT/best.
   */
  earlyStopping?: { metric: string; patience: number };
  /** Aborting stops the run at the next step boundary, after writing a checkpoint. */
  signal?: AbortSignal;
  /**
   * How to continue a run stopped on request, ending the stop message: a command passes its
   * own command line with --resume, train.start() its `resume: true` (default: both spellings).
   */
  resumeHint?: string;
  /**
   * Data-parallel training: the model wrapped for this process's rank. Gradients are averaged
   * over the ranks (no sync on the first micro-batches of an accumulation), logged losses are
   * the ranks' mean, and only rank 0 writes metrics and checkpoints.
   */
  ddp?: DistributedDataParallel<ForwardModule>;
}

export interface TrainResult {
  step: number;
  lastLoss: number | null;
  /** True when the run stopped early on request (signal, requestStop, stopWhen). */
  cancelled: boolean;
}

export interface StepRecord {
  step: number;
  loss: number;
  /** The loss's named parts (mlmLoss, nspLoss, ...), as the model's forward gives them. */
  [part: `${string}Loss`]: number | undefined;
  lr: number;
  gradNorm: number;
  tokens: number;
  tokensPerSecond: number;
}

export interface LogRecord {
  level: 'info' | 'warn';
  message: string;
  step: number;
}

export interface TrainerEvents {
  step: [StepRecord];
  eval: [{ step: number } & Record<string, number>];
  checkpoint: [{ step: number; dir: string }];
  /** What a person following the run wants to read: resuming, early stopping, notes. */
  log: [LogRecord];
  done: [TrainResult];
}

function tokensIn(batch: unknown): number {
  const mask = (batch as { attentionMask?: Tensor }).attentionMask;
  return mask ? (mask.sum().item() as number) : 0;
}

/** The ranks' mean of each loss, then the sum of their tokens: one all-reduce. */
function meanOverRanks(ddp: DistributedDataParallel<ForwardModule>, losses: number[], tokens: number): number[] {
  const t = makeTensor([...losses, tokens], { dtype: 'float64' });
  ddp.group.allReduce(t, 'sum');
  const summed = t.toArray() as number[];
  t.dispose();
  return [...summed.slice(0, -1).map((v) => v / ddp.group.worldSize), summed.at(-1)!];
}

/** Every rank's JSON value, in rank order (allGather of fixed-size UTF-8 buffers). */
function gatherJson(ddp: DistributedDataParallel<ForwardModule>, value: unknown): unknown[] {
  const bytes = Buffer.from(JSON.stringify(value));
  const size = makeTensor([bytes.length], { dtype: 'int64' });
  ddp.group.allReduce(size, 'max');
  const width = size.item() as number;
  size.dispose();
  const padded = new Uint8Array(width).fill(32);
  padded.set(bytes);
  const local = makeTensor(Array.from(padded), { dtype: 'uint8' });
  const all = ddp.group.allGather(local);
  const values = all.map((t) => JSON.parse(Buffer.from((t.toArray() as number[])).toString('utf8')) as unknown);
  for (const t of [local, ...all]) t.dispose();
  return values;
}

/**
 * Drops the records of steps after `step` from a metrics log: a run killed after its last
 * checkpoint logged steps that the resumed run takes again, and the log must hold each once.
 */
function dropLoggedAfter(path: string, step: number): void {
  if (!existsSync(path)) return;
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const kept = lines.filter((line) => {
    try {
      const record = JSON.parse(line) as { step?: unknown };
      return typeof record.step !== 'number' || record.step <= step;
    } catch {
      return false; // cut short by the kill
    }
  });
  if (kept.length !== lines.length) writeFileSync(path, kept.map((line) => `${line}\n`).join(''));
}

let trainerObserver: ((trainer: Trainer<unknown>) => void) | null = null;

/**
 * Calls `observer` with every Trainer this thread constructs from now on (null to stop): how a
 * worker running a command forwards its trainer's events to the host.
 */
export function observeTrainers(observer: ((trainer: Trainer<unknown>) => void) | null): void {
  trainerObserver = observer;
}

export class Trainer<B> extends EventEmitter<TrainerEvents> {
  readonly options: Required<Omit<TrainerOptions<B>, 'evaluate' | 'mixedPrecision' | 'schedule' | 'earlyStopping' | 'signal' | 'ddp' | 'resumeHint'>> &
    Pick<TrainerOptions<B>, 'evaluate' | 'mixedPrecision' | 'schedule' | 'earlyStopping' | 'signal' | 'ddp'>;
  /**
   * The best value of the early-stopping metric so far and the step it was reached at; saved in
   * checkpoints with the evaluations since, so a resumed run stops early where the whole one would.
   */
  best: { value: number; step: number } | null = null;
  /** Evaluations since `best` improved (early stopping). */
  evaluationsSinceBest = 0;
  /** Ends the stop message: how to continue the run (options.resumeHint; a host may replace it). */
  resumeHint: string;
  readonly optimizer: Optimizer<{ lr: number }>;
  readonly scheduler: LRScheduler;
  readonly metrics: MetricsLog | null;
  /** Rank 0, or the only process: the one that writes metrics and checkpoints. */
  readonly isMain: boolean;
  step = 0;
  #stopRequested = false;
  #stopChecks: (() => boolean)[] = [];

  constructor(options: TrainerOptions<B>) {
    super();
    this.options = {
      lr: 1e-4, weightDecay: 0.01, optimizer: 'adamw', warmupSteps: 0, gradientAccumulation: 1, maxGradNorm: 1.0,
      checkpointEvery: 0, keepCheckpoints: 2, resume: false, evalEvery: 0, ...options,
    };
    this.resumeHint = options.resumeHint ?? 'to continue, run it again with resume (--resume on the command line, resume: true in code)';
    const o = this.options;
    for (const [name, v] of [['steps', o.steps], ['gradientAccumulation', o.gradientAccumulation], ['keepCheckpoints', o.keepCheckpoints]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${describeValue(v)}`);
    }
    if (!(o.lr > 0)) throw new RangeError(`lr must be a positive number, got ${describeValue(o.lr)}`);
    const groups = weightDecayGroups<{ weightDecay: number; lr: number }>(o.model, o.weightDecay);
    this.optimizer = o.optimizer === 'lamb' ? new LAMB(groups, { lr: o.lr }) : new AdamW(groups, { lr: o.lr });
    this.scheduler = new LRScheduler(this.optimizer, this.#lambda());
    this.isMain = (o.ddp?.group.rank ?? 0) === 0;
    this.metrics = this.isMain ? new MetricsLog(join(o.out, 'metrics.jsonl')) : null;
    trainerObserver?.(this as Trainer<unknown>);
  }

  #lambda(): LrLambda {
    const { schedule, warmupSteps, steps } = this.options;
    if (typeof schedule === 'function') return schedule;
    switch (schedule ?? 'linear') {
      case 'linear':
        return schedules.linearWithWarmup(warmupSteps, steps);
      case 'cosine':
        return schedules.cosineWithWarmup(warmupSteps, steps);
      case 'constant':
        return schedules.constantWithWarmup(warmupSteps);
      case 'poly':
        return schedules.polyWarmup(steps, { warmup: warmupSteps / steps });
      default:
        throw new RangeError(`unknown schedule ${describeValue(schedule)}`);
    }
  }

  /** Restores the newest complete checkpoint, if resuming and one exists; returns its step. */
  restore(): number {
    // What a killed run was writing when it died: half a checkpoint, half a weights file.
    const stale = [...removeStaleTemporaries(join(this.options.out, 'checkpoints')), ...removeStaleTemporaries(this.options.out)];
    if (stale.length > 0) this.log(`removed ${stale.length} temporary file(s) left by a run that was stopped while writing: ${stale.map((p) => basename(p)).join(', ')}`);
    const latest = listCheckpoints(this.options.out).at(-1);
    if (!latest) return 0;
    const restored = restoreTrainingCheckpoint(latest.dir, { model: this.options.model, optimizer: this.optimizer, scheduler: this.scheduler }, this.options.ddp?.group.rank ?? 0);
    this.options.batches.seek(restored.dataPosition);
    this.step = restored.state.step;
    const { best, evaluationsSinceBest } = restored.state;
    if (best !== undefined && best !== null && !(typeof best === 'object' && Number.isFinite((best as { value?: unknown }).value) && Number.isInteger((best as { step?: unknown }).step))) {
      throw new Error(`${join(latest.dir, 'trainer_state.json')}: best must be null or { value, step }, got ${describeValue(best)}`);
    }
    this.best = (best as { value: number; step: number } | undefined) ?? null;
    this.evaluationsSinceBest = Number.isInteger(evaluationsSinceBest) ? (evaluationsSinceBest as number) : 0;
    if (this.metrics) dropLoggedAfter(this.metrics.path, this.step);
    this.log(`resumed from ${latest.dir} at step ${this.step}`);
    return this.step;
  }

  /** Stops the run at the next step boundary (after a checkpoint), as aborting `signal` does. */
  requestStop(): void {
    this.#stopRequested = true;
  }

  /** Adds a condition checked at every step boundary; true stops the run like requestStop(). */
  stopWhen(check: () => boolean): void {
    this.#stopChecks.push(check);
  }

  get stopRequested(): boolean {
    return this.#stopRequested || this.options.signal?.aborted === true || this.#stopChecks.some((check) => check());
  }

  /** A stop request on any rank stops every rank at the same step. */
  #stopAgreed(): boolean {
    const ddp = this.options.ddp;
    if (!ddp) return this.stopRequested;
    const flag = makeTensor([this.stopRequested ? 1 : 0]);
    ddp.group.allReduce(flag, 'max');
    const stop = (flag.item() as number) > 0;
    flag.dispose();
    return stop;
  }

  /** Emits a `log` event (nothing is printed: the CLI or the host decides where logs go). */
  log(message: string, level: LogRecord['level'] = 'info'): void {
    this.emit('log', { level, message, step: this.step });
  }

  /**
   * Writes a checkpoint of this step. In a data-parallel run every rank must call it: rank 0
   * gathers each rank's RNG state and data position, writes, and the others wait for it.
   */
  async checkpoint(): Promise<string> {
    const state: TrainerState = { step: this.step, best: this.best, evaluationsSinceBest: this.evaluationsSinceBest };
    const ddp = this.options.ddp;
    const parts = { model: this.options.model, optimizer: this.optimizer, scheduler: this.scheduler, dataPosition: this.options.batches.position(), state };
    const dir = checkpointDir(this.options.out, this.step);
    if (!ddp) {
      await saveTrainingCheckpoint(this.options.out, parts, this.options.keepCheckpoints);
    } else {
      const rng = getRngState();
      const rngStates = ddp.group.allGather(rng);
      const dataPositions = gatherJson(ddp, parts.dataPosition);
      if (this.isMain) await saveTrainingCheckpoint(this.options.out, { ...parts, ranks: { rngStates, dataPositions } }, this.options.keepCheckpoints);
      for (const t of [rng, ...rngStates]) t.dispose();
      ddp.group.barrier();
    }
    this.emit('checkpoint', { step: this.step, dir });
    return dir;
  }

  /** One optimizer step over gradientAccumulation micro-batches. */
  trainStep(): StepRecord {
    const o = this.options;
    const started = process.hrtime.bigint();
    o.model.train();
    let loss = 0;
    const parts = new Map<string, number>();
    let tokens = 0;
    for (let micro = 0; micro < o.gradientAccumulation; micro++) {
      o.ddp?.prepareBackward(micro === o.gradientAccumulation - 1);
      tidy(() => {
        const batch = o.batches.next();
        tokens += tokensIn(batch);
        const forward = () => o.model.forward(batch);
        const out = o.mixedPrecision === 'bfloat16' ? autocast({ device: 'cpu', dtype: 'bfloat16' }, forward) : forward();
        if (!out.loss) throw new Error('the model returned no loss: the batches need labels');
        out.loss.div(o.gradientAccumulation).backward();
        loss += (out.loss.item() as number) / o.gradientAccumulation;
        for (const [name, part] of Object.entries(out.losses ?? {})) {
          if (part) parts.set(name, (parts.get(name) ?? 0) + (part.item() as number) / o.gradientAccumulation);
        }
      });
    }
    const gradNorm = o.maxGradNorm > 0 ? clipGradNorm_(o.model.parameters(), o.maxGradNorm) : 0;
    const lr = this.optimizer.paramGroups[0]!.lr;
    this.optimizer.step();
    this.optimizer.zeroGrad();
    this.scheduler.step();
    this.step += 1;
    // Every rank runs the same model, so the parts have the same names in the same order.
    const names = [...parts.keys()];
    let values = names.map((n) => parts.get(n)!);
    if (o.ddp) {
      const reduced = meanOverRanks(o.ddp, [loss, ...values], tokens);
      tokens = reduced.pop()!;
      [loss, ...values] = reduced as [number, ...number[]];
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const record: StepRecord = { step: this.step, loss, lr, gradNorm, tokens, tokensPerSecond: tokens / seconds };
    names.forEach((name, i) => (record[`${name}Loss`] = values[i]!));
    this.metrics?.write(record as unknown as Record<string, unknown>);
    this.emit('step', record);
    return record;
  }

  /**
   * Trains to options.steps (resuming first when asked), with evaluation and checkpoints on the
   * way. Between steps it yields to the event loop, so timers, messages and an AbortSignal work.
   */
  async train(): Promise<TrainResult> {
    const o = this.options;
    if (o.resume && this.restore() === 0) this.log(`--resume: no complete checkpoint under ${join(o.out, 'checkpoints')}; starting at step 0`, 'warn');
    let last: StepRecord | null = null;
    let cancelled = false;
    let checkpointed = -1;
    while (this.step < o.steps) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#stopAgreed()) {
        cancelled = true;
        break;
      }
      last = this.trainStep();
      if (o.evaluate && o.evalEvery > 0 && (this.step % o.evalEvery === 0 || this.step === o.steps)) {
        o.model.eval();
        const metrics = await o.evaluate();
        this.metrics?.write({ step: this.step, eval: metrics });
        this.emit('eval', { step: this.step, ...metrics });
        if (o.earlyStopping) {
          const value = metrics[o.earlyStopping.metric];
          if (value === undefined) throw new Error(`early stopping watches '${o.earlyStopping.metric}', which the evaluation does not report`);
          if (this.best === null || value > this.best.value) {
            this.best = { value, step: this.step };
            this.evaluationsSinceBest = 0;
            if (this.isMain) await o.model.savePretrained(join(o.out, 'best'));
          } else if (++this.evaluationsSinceBest >= o.earlyStopping.patience) {
            this.log(`early stopping at step ${this.step}: ${o.earlyStopping.metric} has not improved on ${this.best.value.toFixed(4)} (step ${this.best.step}) for ${this.evaluationsSinceBest} evaluations`);
            break;
          }
        }
      }
      if (o.checkpointEvery > 0 && this.step % o.checkpointEvery === 0) {
        await this.checkpoint();
        checkpointed = this.step;
      }
    }
    if (cancelled) {
      if (this.step === 0) this.log('stopped on request before the first step: nothing to resume');
      else {
        const dir = checkpointed === this.step ? checkpointDir(o.out, this.step) : await this.checkpoint();
        this.log(`stopped on request at step ${this.step}; checkpoint ${dir}; ${this.resumeHint}`);
      }
    }
    const result = { step: this.step, lastLoss: last?.loss ?? null, cancelled };
    this.emit('done', result);
    return result;
  }
}
