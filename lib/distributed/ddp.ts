// DistributedDataParallel: the same model on every rank, each on its share of the batch.
// At the start rank 0's parameters and buffers are copied to all ranks; during every backward
// that follows a forward, gradients are all-reduced in buckets (in the native layer, fed by
// autograd hooks, launched while backward still runs) and averaged, so every rank takes the
// same optimizer step. noSync() skips the reduction for gradient accumulation.
import type { Module } from '../nn/module.js';
import { native } from '../native.js';
import { isGradEnabled, noGrad } from '../torch/autograd.js';
import { describeValue } from '../torch/describe.js';
import type { ProcessGroup } from './process-group.js';

export interface DdpOptions {
  /** Bucket size for gradient all-reduce, in MiB (default 25, as PyTorch). */
  bucketCapMb?: number;
}

/** Any module with a forward: what DistributedDataParallel wraps. */
export type ForwardModule = Module & { forward: (...args: never[]) => unknown };

export class DistributedDataParallel<M extends ForwardModule> {
  readonly module: M;
  /**
   * The module's forward, with the next backward set to reduce gradients (unless in noSync).
   * Typed as the module's own forward, overloads included, so a head given labels still
   * returns a loss that is a Tensor.
   */
  readonly forward: M['forward'];
  readonly group: ProcessGroup;
  readonly #id: number;
  #sync = true;
  #destroyed = false;

  constructor(module: M, group: ProcessGroup, options: DdpOptions = {}) {
    const bucketCapMb = options.bucketCapMb ?? 25;
    if (!(bucketCapMb > 0)) throw new RangeError(`bucketCapMb must be positive, got ${describeValue(bucketCapMb)}`);
    this.module = module;
    this.group = group;
    const params = module.parameters();
    if (params.length === 0) throw new Error('DistributedDataParallel: the module has no parameters');
    noGrad(() => group.broadcast([...params, ...module.buffers()], 0));
    this.#id = native.ddpCreate(group.id, params.map((p) => p.handle), Math.round(bucketCapMb * 1024 * 1024));
    const forward = module.forward as (...args: unknown[]) => unknown;
    this.forward = ((...args: unknown[]) => {
      if (isGradEnabled() && this.module.training) this.prepareBackward();
      return forward.apply(module, args);
    }) as M['forward'];
  }

  /**
   * Arms (or not) the gradient reduction of the next backward. forward() calls it; a loop that
   * calls the module directly calls it before each backward.
   */
  prepareBackward(sync = this.#sync): void {
    if (this.#destroyed) throw new Error('DistributedDataParallel: destroyed');
    native.ddpArm(this.#id, sync);
  }

  /** Runs fn with gradient reduction off: backward passes inside only accumulate locally. */
  noSync<T>(fn: () => T): T {
    const before = this.#sync;
    this.#sync = false;
    try {
      return fn();
    } finally {
      this.#sync = before;
    }
  }

  /** Buckets (parameter indices, last layers first), bytes all-reduced per step, steps reduced. */
  info(): { buckets: number[][]; bytesPerStep: number; reductions: number } {
    return native.ddpInfo(this.#id);
  }

  /** Removes the gradient hooks. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    native.ddpDestroy(this.#id);
  }
}
