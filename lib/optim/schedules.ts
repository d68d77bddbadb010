// Learning-rate schedules as multipliers of each group's initial lr (PyTorch's LambdaLR),
// with the formulas of transformers' optimization.py and NVIDIA's BERT recipe.
import { describeValue } from '../torch/describe.js';
import type { Optimizer } from './optimizer.js';

/** step → multiplier of the initial learning rate. */
export type LrLambda = (step: number) => number;

function warmup(step: number, warmupSteps: number): number {
  return step / Math.max(1, warmupSteps);
}

export function constant(): LrLambda {
  return () => 1;
}

export function constantWithWarmup(warmupSteps: number): LrLambda {
  return (step) => (step < warmupSteps ? warmup(step, warmupSteps) : 1);
}

/** Linear warmup to the initial lr, then linear decay to 0 at totalSteps. */
export function linearWithWarmup(warmupSteps: number, totalSteps: number): LrLambda {
  return (step) => (step < warmupSteps ? warmup(step, warmupSteps) : Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps)));
}

/** Linear warmup, then a cosine from the initial lr down to minLrRate times it. */
export function cosineWithWarmup(warmupSteps: number, totalSteps: number, options: { numCycles?: number; minLrRate?: number } = {}): LrLambda {
  const numCycles = options.numCycles ?? 0.5;
  const minLrRate = options.minLrRate ?? 0;
  return (step) => {
    if (step < warmupSteps) return warmup(step, warmupSteps);
    const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    const factor = 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress));
    return Math.max(0, factor * (1 - minLrRate) + minLrRate);
  };
}

/** Linear warmup, then polynomial decay from lrInit to lrEnd (transformers' polynomial_decay). */
export function polynomialWithWarmup(warmupSteps: number, totalSteps: number, options: { lrInit: number; lrEnd?: number; power?: number }): LrLambda {
  if (options === null || typeof options !== 'object') throw new TypeError('polynomialWithWarmup(): options { lrInit, lrEnd?, power? } are required (lrInit: the optimizer\'s lr)');
  const lrEnd = options.lrEnd ?? 1e-7;
  const power = options.power ?? 1;
  const lrInit = options.lrInit;
  if (!(lrInit > lrEnd)) throw new RangeError(`lrEnd (${describeValue(lrEnd)}) must be smaller than the initial lr (${describeValue(lrInit)})`);
  return (step) => {
    if (step < warmupSteps) return warmup(step, warmupSteps);
    if (step > totalSteps || totalSteps <= warmupSteps) return lrEnd / lrInit; // no decay phase: at the end value
    const pctRemaining = 1 - (step - warmupSteps) / (totalSteps - warmupSteps);
    return ((lrInit - lrEnd) * pctRemaining ** power + lrEnd) / lrInit;
  };
}

/**
 * NVIDIA's BERT PolyWarmUpScheduler: linear warmup over the first `warmup` fraction of
 * totalSteps, then (1 - progress)^degree scaled to reach 0 at the end.
 */
export function polyWarmup(totalSteps: number, options: { warmup?: number; degree?: number } = {}): LrLambda {
  const warm = options.warmup ?? 0.01;
  const degree = options.degree ?? 0.5;
  return (step) => {
    const progress = step / totalSteps;
    if (progress < warm) return progress / warm;
    return Math.max((progress - 1) / (warm - 1), 0) ** degree;
  };
}

export type WsdShape = 'linear' | 'cosine' | '1-sqrt';

/** Warmup, a stable stretch at the initial lr, then decay to minLrRatio (transformers' get_wsd_schedule). */
export function warmupStableDecay(
  warmupSteps: number,
  stableSteps: number,
  decaySteps: number,
  options: { warmupType?: WsdShape; decayType?: WsdShape; minLrRatio?: number; numCycles?: number } = {},
): LrLambda {
  const warmupType = options.warmupType ?? 'linear';
  const decayType = options.decayType ?? 'cosine';
  const minLrRatio = options.minLrRatio ?? 0;
  const numCycles = options.numCycles ?? 0.5;
  for (const [name, shape] of [['warmupType', warmupType], ['decayType', decayType]] as const) {
    if (!['linear', 'cosine', '1-sqrt'].includes(shape)) throw new TypeError(`${name} must be 'linear', 'cosine' or '1-sqrt', got ${describeValue(shape)}`);
  }
  return (step) => {
    if (step < warmupSteps) {
      const progress = warmup(step, warmupSteps);
      const f = warmupType === 'linear' ? progress : warmupType === 'cosine' ? 0.5 * (1 - Math.cos(Math.PI * progress)) : 1 - Math.sqrt(1 - progress);
      return Math.max(0, f * (1 - minLrRatio) + minLrRatio);
    }
    if (step < warmupSteps + stableSteps) return 1;
    if (step < warmupSteps + stableSteps + decaySteps) {
      const progress = (step - warmupSteps - stableSteps) / Math.max(1, decaySteps);
      const f = decayType === 'linear' ? 1 - progress : decayType === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)) : 1 - Math.sqrt(progress);
      return Math.max(0, f * (1 - minLrRatio) + minLrRatio);
    }
    return minLrRatio;
  };
}

export interface SchedulerState {
  lastStep: number;
  initialLrs: number[];
}

/** Sets each group's lr to initialLr · lambda(step); step() advances by one (PyTorch's LambdaLR). */
export class LRScheduler {
  readonly optimizer: Optimizer<{ lr: number }>;
  readonly lrLambda: LrLambda;
  initialLrs: number[];
  lastStep = 0;

  constructor(optimizer: Optimizer<{ lr: number }>, lrLambda: LrLambda) {
    if (typeof lrLambda !== 'function') throw new TypeError('LRScheduler: lrLambda must be a function of the step');
    this.optimizer = optimizer;
    this.lrLambda = lrLambda;
    this.initialLrs = optimizer.paramGroups.map((g) => g.lr);
    this.#apply();
  }

  #apply(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = this.initialLrs[i]! * this.lrLambda(this.lastStep);
    });
  }

  step(): void {
    this.lastStep += 1;
    this.#apply();
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerState {
    return { lastStep: this.lastStep, initialLrs: [...this.initialLrs] };
  }

  loadStateDict(state: SchedulerState): void {
    const groups = this.optimizer.paramGroups.length;
    if (state === null || typeof state !== 'object' || !Number.isInteger(state.lastStep) || state.lastStep < -1) {
      throw new Error(`scheduler loadStateDict(): expected { lastStep, initialLrs } as stateDict() gives, got ${describeValue(state)}`);
    }
    if (!Array.isArray(state.initialLrs) || state.initialLrs.length !== groups || !state.initialLrs.every((lr) => typeof lr === 'number' && lr >= 0)) {
      throw new Error(`scheduler loadStateDict(): initialLrs must hold a learning rate for each of the ${groups} parameter group(s), got ${describeValue(state.initialLrs)}`);
    }
    this.lastStep = state.lastStep;
    this.initialLrs = [...state.initialLrs];
    this.#apply();
  }
}
