// The `torch` namespace: import { torch } from 'plm-torch'.
import { availableParallelism } from 'node:os';

import './errors.js';

import { native } from '../native.js';
import { atenOps, callOp, createOps, type Ops } from './ops.js';
import { Tensor, wrappedScalar } from './tensor.js';

export { TorchError } from './errors.js';
export { Tensor, type NestedArray, type ValuesAndIndices, type BackwardOptions } from './tensor.js';
export { DTYPES, isFloatingPoint, type DType, type TypedArray } from './dtype.js';
export type { Device } from './device.js';
export {
  tensor,
  zeros,
  ones,
  full,
  empty,
  arange,
  linspace,
  eye,
  rand,
  randn,
  randint,
  randperm,
  zerosLike,
  onesLike,
  fullLike,
  emptyLike,
  randLike,
  randnLike,
  randintLike,
  manualSeed,
  cat,
  stack,
  where,
  type TensorOptions,
  type TensorData,
} from './creation.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd.js';
export { tidy, keep, memory } from './scope.js';
export { autocast, getRngState, setRngState, type AutocastOptions } from './autocast.js';
export * as autograd from './autograd.js';
export * as cuda from './cuda.js';
export * as functional from './functional.js';
export * as linalg from './linalg.js';
export type { Ops, OpNamespace, OpPacket, OpOverload, OpValue, OpKeywords, OpArgs, OpResult } from './ops.js';

/**
 * Every operator of libtorch's dispatcher, as PyTorch's `torch.ops` gives them:
 * `torch.ops.aten.add.Tensor(a, b, { alpha: 2 })` (operator, then overload; `.default` or a
 * plain call for the overload with no name), or `torch.ops.op('aten::add.Tensor')`. Calls go
 * through the dispatcher, so autograd, autocast and devices apply; Tensors come back as
 * ordinary Tensors, owned by the current scope.
 */
export const ops: Ops = createOps(Tensor);

export const float32 = 'float32';
export const float64 = 'float64';
export const float16 = 'float16';
export const bfloat16 = 'bfloat16';
export const int64 = 'int64';
export const int32 = 'int32';
export const int16 = 'int16';
export const int8 = 'int8';
export const uint8 = 'uint8';
export const bool = 'bool';

export function getNumThreads(): number {
  return native.getNumThreads();
}

/**
 * The most intra-op threads setNumThreads accepts: 8 per core (at least 64), never over 1024.
 * Past that libgomp runs out of memory or crashes, and no CPU gains from it.
 */
export function maxNumThreads(): number {
  return Math.min(1024, Math.max(64, 8 * availableParallelism()));
}

export function setNumThreads(threads: number): void {
  const max = maxNumThreads();
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > max) {
    const shown = typeof threads === 'number' ? String(threads) : typeof threads;
    throw new RangeError(`setNumThreads(): threads must be an integer from 1 to ${max} (8 per core on this machine of ${availableParallelism()}), got ${shown}`);
  }
  native.setNumThreads(threads);
}

/** The libtorch this process loaded: version, where from, CUDA, threads, build configuration. */
export function runtimeInfo(): ReturnType<typeof native.runtime> {
  return native.runtime();
}

type Method<K extends keyof Tensor> = Tensor[K] extends (...args: infer A) => infer R ? (input: Tensor, ...args: A) => R : never;

function method<K extends keyof Tensor>(name: K): Method<K> {
  return ((input: Tensor, ...args: unknown[]) => {
    if (!(input instanceof Tensor)) throw new TypeError(`torch.${String(name)}(): input must be a Tensor`);
    return (input[name] as (...a: unknown[]) => unknown)(...args);
  }) as Method<K>;
}

type NumberFirst<K extends keyof Tensor> = Tensor[K] extends (other: infer O, ...rest: infer A) => infer R ? (input: Tensor | number | boolean, other: O | boolean, ...rest: A) => R : never;

/**
 * torch.add(2, t) and friends: as in PyTorch, a number for input (other too) is a wrapped
 * number, the 0-dim tensor PyTorch makes of a Python scalar, so torch.sub(2, int32) is int32.
 */
function numberFirst<K extends 'add' | 'sub' | 'mul' | 'div'>(name: K): NumberFirst<K> {
  const call = method(name) as (input: Tensor, ...args: unknown[]) => Tensor;
  return ((input: unknown, other: unknown, ...rest: unknown[]) => {
    if (typeof input !== 'number' && typeof input !== 'boolean') return call(input as Tensor, other, ...rest);
    if (!(other instanceof Tensor) && typeof other !== 'number' && typeof other !== 'boolean') {
      throw new TypeError(`torch.${name}(): other must be a Tensor or a number when input is a number, got ${other === null ? 'null' : typeof other}`);
    }
    const wrapped = other instanceof Tensor ? wrappedScalar(other, input) : Tensor.wrap(native.wrappedScalar(input));
    try {
      return call(wrapped, other, ...rest);
    } finally {
      wrapped.dispose();
    }
  }) as NumberFirst<K>;
}

const powScalarOp = atenOps({ powScalar: 'aten::pow.Scalar' }).powScalar;
const powMethod = method('pow');

// torch.add(a, b) and friends: the same operations as the Tensor methods.
export const add = numberFirst('add');
export const sub = numberFirst('sub');
export const mul = numberFirst('mul');
export const div = numberFirst('div');

/** input ** exponent; a number input is a Python scalar (torch.pow(2, t), aten::pow.Scalar). */
export function pow(input: Tensor | number | boolean, exponent: Tensor | number): Tensor {
  if (typeof input === 'number' || typeof input === 'boolean') {
    if (!(exponent instanceof Tensor)) throw new TypeError(`torch.pow(): exponent must be a Tensor when input is a number, got ${exponent === null ? 'null' : typeof exponent}`);
    return Tensor.wrap(callOp(powScalarOp, input, exponent.handle));
  }
  return powMethod(input, exponent);
}

export const neg = method('neg');
export const exp = method('exp');
export const log = method('log');
export const sqrt = method('sqrt');
export const rsqrt = method('rsqrt');
export const abs = method('abs');
export const tanh = method('tanh');
export const sigmoid = method('sigmoid');
export const silu = method('silu');
export const relu = method('relu');
export const gelu = method('gelu');
export const erf = method('erf');
export const clamp = method('clamp');
export const maximum = method('maximum');
export const minimum = method('minimum');
export const matmul = method('matmul');
export const mm = method('mm');
export const bmm = method('bmm');
export const outer = method('outer');
export const softmax = method('softmax');
export const logSoftmax = method('logSoftmax');
export const sum = method('sum');
export const mean = method('mean');
export const argmax = method('argmax');
export const argmin = method('argmin');
export const topk = method('topk');
export const sort = method('sort');
export const cumsum = method('cumsum');
export const reshape = method('reshape');
export const permute = method('permute');
export const transpose = method('transpose');
export const unsqueeze = method('unsqueeze');
export const squeeze = method('squeeze');
export const flatten = method('flatten');
export const split = method('split');
export const chunk = method('chunk');
export const narrow = method('narrow');
export const select = method('select');
export const indexSelect = method('indexSelect');
export const gather = method('gather');
export const scatter = method('scatter');
export const maskedFill = method('maskedFill');
export const tril = method('tril');
export const triu = method('triu');
export const eq = method('eq');
export const ne = method('ne');
export const lt = method('lt');
export const le = method('le');
export const gt = method('gt');
export const ge = method('ge');
export const logicalAnd = method('logicalAnd');
export const logicalOr = method('logicalOr');
export const logicalNot = method('logicalNot');
export const norm = method('norm');
export const std = method('std');
export const var_ = method('var');
export { var_ as var };
