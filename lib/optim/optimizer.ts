// The optimizer base: parameter groups with their own hyperparameters, per-parameter state,
// and a state dict in PyTorch's layout (parameters by index) for exact resume.
import { native, type Handle } from '../native.js';
import { boundedList } from '../torch/arrays.js';
import { describeValue } from '../torch/describe.js';
import { keep } from '../torch/scope.js';
import { Tensor } from '../torch/tensor.js';

/**
 * A parameter group: its tensors and the hyperparameters that differ from the defaults,
 * written as PyTorch writes them ({ params, lr: 1e-3 }) or under `options`.
 */
export type GroupInput<O> = { params: Iterable<Tensor>; options?: Partial<O> } & Partial<O>;

export type ParamGroup<O> = O & { params: Tensor[] };

export type StateValue = Tensor | number;
export type ParamState = Record<string, StateValue>;

export interface OptimizerStateDict<O> {
  state: Record<number, ParamState>;
  paramGroups: (O & { params: number[] })[];
}

function isGroupInput<O>(value: unknown): value is GroupInput<O> {
  return typeof value === 'object' && value !== null && 'params' in value && !(value instanceof Tensor);
}

export abstract class Optimizer<O extends { lr: number }> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[];
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: Iterable<Tensor> | GroupInput<O>[], defaults: O) {
    this.defaults = defaults;
    const list = boundedList(params as Iterable<Tensor | GroupInput<O>>, 'the optimizer\'s params');
    const groups: GroupInput<O>[] = list.length > 0 && isGroupInput<O>(list[0]) ? (list as GroupInput<O>[]) : [{ params: list as Tensor[] } as unknown as GroupInput<O>];
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((group, g) => {
      const { params, options, ...inline } = group;
      const tensors = boundedList(params, `param group ${g}: params`);
      for (const [i, p] of tensors.entries()) {
        if (!(p instanceof Tensor)) throw new TypeError(`param group ${g}: params[${i}] is not a Tensor`);
        if (!p.isFloatingPoint()) throw new TypeError(`param group ${g}: params[${i}] is ${p.dtype}; only floating-point tensors can be optimized`);
        // As PyTorch: a computed tensor's updates would be lost at its next recomputation.
        if (!p.isLeaf) throw new TypeError(`param group ${g}: params[${i}] is not a leaf tensor (it was computed from others), so it cannot be optimized`);
        if (seen.has(p)) throw new Error(`param group ${g}: params[${i}] appears in more than one group`);
        seen.add(p);
      }
      const settings = { ...options, ...(inline as unknown as Partial<O>) };
      for (const key of Object.keys(settings)) {
        // 'name' labels a group, as in PyTorch; anything else unknown is most likely a typo.
        if (!(key in defaults) && key !== 'name') throw new TypeError(`param group ${g}: unknown option '${key}' (the options are ${Object.keys(defaults).join(', ')}, and name)`);
      }
      return { ...defaults, ...settings, params: tensors };
    });
    if (seen.size === 0) throw new Error('the optimizer got an empty parameter list');
    for (const group of this.paramGroups) this.validate(group);
  }

  /** Checks a group's hyperparameters; throws RangeError naming the bad one. */
  protected abstract validate(group: ParamGroup<O>): void;

  abstract step(): void;

  /** Drops the gradients (setToNone, the default, frees them) or zeroes them in place. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) native.setGrad(p.handle, null);
        else {
          const g = p.grad;
          if (g) {
            g.zero_().dispose();
            g.dispose();
          }
        }
      }
    }
  }

  /** The parameters of a group that have a gradient, with the gradient handles (caller disposes them). */
  protected withGrads(group: ParamGroup<O>): { params: Tensor[]; grads: Handle[] } {
    const params: Tensor[] = [];
    const grads: Handle[] = [];
    for (const p of group.params) {
      const g = native.grad(p.handle);
      if (g === null) continue;
      params.push(p);
      grads.push(g);
    }
    return { params, grads };
  }

  /** State tensors belong to no scope: they live as long as the optimizer. */
  protected stateTensor(t: Tensor): Tensor {
    return keep(t);
  }

  stateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...options } = group;
      return { ...(options as unknown as O), params: params.map((p) => index.set(p, index.size).get(p)!) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...s };
    }
    return { state, paramGroups };
  }

  /** Restores hyperparameters and state saved by stateDict(); tensors are copied. */
  /**
   * Restores hyperparameters and state saved by stateDict(); tensors are copied. Everything is
   * checked and copied before anything changes, so a bad state dict leaves the optimizer as it
   * was (and loading the optimizer's own stateDict() is safe).
   */
  loadStateDict(stateDict: OptimizerStateDict<O>): void {
    const bad = (why: string) => new Error(`optimizer loadStateDict(): ${why}`);
    if (stateDict === null || typeof stateDict !== 'object' || !Array.isArray(stateDict.paramGroups) || stateDict.state === null || typeof stateDict.state !== 'object') {
      throw bad('expected { state, paramGroups } as stateDict() gives');
    }
    if (stateDict.paramGroups.length !== this.paramGroups.length) {
      throw bad(`it has ${stateDict.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    const groups = stateDict.paramGroups.map((saved, g) => {
      const group = this.paramGroups[g]!;
      if (saved === null || typeof saved !== 'object' || !Array.isArray(saved.params)) throw bad(`parameter group ${g} has no params list`);
      if (saved.params.length !== group.params.length) throw bad(`parameter group ${g} has ${saved.params.length} parameters, the optimizer's ${group.params.length}`);
      saved.params.forEach((i, j) => byIndex.set(i, group.params[j]!));
      const { params: _indices, ...options } = saved;
      const merged = { ...group, ...options, params: group.params } as ParamGroup<O>;
      this.validate(merged);
      return merged;
    });
    const restored = new Map<Tensor, ParamState>();
    try {
      for (const [i, saved] of Object.entries(stateDict.state)) {
        const p = byIndex.get(Number(i));
        if (!p) throw bad(`its state refers to parameter ${i}, which no group holds`);
        const entry: ParamState = {};
        restored.set(p, entry);
        for (const [k, v] of Object.entries(saved)) {
          if (v instanceof Tensor) {
            if (v.isFloatingPoint() && v.numel() > 1 && v.shape.join() !== p.shape.join()) {
              throw bad(`state '${k}' of parameter ${i} has shape [${v.shape.join(', ')}], the parameter [${p.shape.join(', ')}]`);
            }
            entry[k] = this.stateTensor(v.detach().clone().to({ device: p.device }));
          } else if (typeof v === 'number' && Number.isFinite(v)) {
            entry[k] = v;
          } else {
            throw bad(`state '${k}' of parameter ${i} must be a tensor or a finite number, got ${describeValue(v)}`);
          }
        }
      }
    } catch (err) {
      for (const entry of restored.values()) for (const v of Object.values(entry)) if (v instanceof Tensor) v.dispose();
      throw err;
    }
    groups.forEach((merged, g) => Object.assign(this.paramGroups[g]!, merged));
    for (const old of this.state.values()) for (const v of Object.values(old)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
    for (const [p, entry] of restored) this.state.set(p, entry);
  }
}

export function checkRange(value: unknown, name: string, min: number, max = Infinity, inclusiveMax = false): void {
  if (typeof value !== 'number' || !(value >= min) || (inclusiveMax ? value > max : value >= max)) {
    throw new RangeError(`invalid ${name}: ${describeValue(value)}`);
  }
}
