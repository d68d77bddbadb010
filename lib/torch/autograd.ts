// Grad mode and autograd.grad. Grad mode is per thread in libtorch, so each worker has its own.
import { native } from '../native.js';
import { checkDenseArray } from './arrays.js';
import { refuseAsync } from './synchronous-only.js';
import { Tensor, handleOf } from './tensor.js';

function withGradMode<T>(enabled: boolean, fn: () => T, name: string): T {
  if (typeof fn !== 'function') throw new TypeError(`${name}(fn): fn must be a function`);
  const previous = native.setGradEnabled(enabled);
  try {
    const result = fn();
    refuseAsync(result, `${name}(fn): fn returned a Promise; grad mode cannot span an await`);
    return result;
  } finally {
    native.setGradEnabled(previous);
  }
}

/** Runs fn with gradient recording off (inference, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, 'noGrad');
}

/** Runs fn with gradient recording on, inside a noGrad region too. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, 'enableGrad');
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

export function setGradEnabled(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError('setGradEnabled(enabled): enabled must be a boolean');
  native.setGradEnabled(enabled);
}

export interface GradOptions {
  gradOutputs?: readonly (Tensor | null)[];
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

/** An optional list of tensors (or nulls), checked before it is walked. */
function optionalList<T>(list: readonly T[] | undefined, what: string): readonly T[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TypeError(`${what} must be an array of Tensors or nulls`);
  checkDenseArray(list, what);
  return list;
}

function handles(tensors: Tensor | readonly Tensor[], what: string): number[] {
  const list = tensors instanceof Tensor ? [tensors] : tensors;
  if (!Array.isArray(list)) throw new TypeError(`${what} must be a Tensor or an array of Tensors`);
  checkDenseArray(list, what);
  return list.map((t, i) => handleOf(t, `${what}[${i}]`));
}

/** d(outputs)/d(inputs) without touching any .grad; null for unused inputs with allowUnused. */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const gradOutputs = optionalList(options.gradOutputs, 'gradOutputs').map((g, i) => (g === null ? null : handleOf(g, `gradOutputs[${i}]`)));
  const outputHandles = handles(outputs, 'outputs');
  const inputHandles = handles(inputs, 'inputs');
  if (outputHandles.length === 0 || inputHandles.length === 0) throw new RangeError('autograd.grad(): outputs and inputs must each hold at least one tensor');
  const result = native.autogradGrad(
    outputHandles,
    inputHandles,
    gradOutputs,
    options.retainGraph,
    options.createGraph ?? false,
    options.allowUnused ?? false,
  );
  return result.map((h) => (h === null ? null : new Tensor(h)));
}

/** backward() over several outputs at once. */
export function backward(tensors: Tensor | readonly Tensor[], gradTensors?: readonly (Tensor | null)[], options: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  const grads = optionalList(gradTensors, 'gradTensors').map((g, i) => (g === null ? null : handleOf(g, `gradTensors[${i}]`)));
  native.backward(handles(tensors, 'tensors'), grads, options.retainGraph, options.createGraph ?? false);
}
