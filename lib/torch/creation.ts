// Creating tensors: from JS data, filled, ranges, random. Numbers default to float32 (JS has
// one number type), booleans to bool, bigints to int64; arange, randint and randperm give
// int64 as PyTorch does when their arguments are integers.
import { native } from '../native.js';
import { checkDenseArray, holeError, MAX_ARRAY_LENGTH } from './arrays.js';
import { describeValue } from './describe.js';
import { checkDevice, type Device } from './device.js';
import { dtypeCode, dtypeOfTypedArray, type DType } from './dtype.js';
import { atenOps, callOp } from './ops.js';
import { Tensor, handleOf } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

/** Nested arrays of numbers, booleans or bigints. */
export type TensorData = number | boolean | bigint | readonly TensorData[];

const op = atenOps({
  zeros: 'aten::zeros',
  ones: 'aten::ones',
  full: 'aten::full',
  empty: 'aten::empty.memory_format',
  arange: 'aten::arange.start_step',
  linspace: 'aten::linspace',
  eye: 'aten::eye.m',
  rand: 'aten::rand',
  randn: 'aten::randn',
  randint: 'aten::randint.low',
  randperm: 'aten::randperm',
  zerosLike: 'aten::zeros_like',
  onesLike: 'aten::ones_like',
  fullLike: 'aten::full_like',
  emptyLike: 'aten::empty_like',
  randLike: 'aten::rand_like',
  randnLike: 'aten::randn_like',
  randintLike: 'aten::randint_like.low_dtype',
  cat: 'aten::cat',
  stack: 'aten::stack',
  whereScalarSelf: 'aten::where.ScalarSelf',
  whereScalar: 'aten::where.Scalar',
});

function checkOptions(options: TensorOptions | undefined, fn: string): TensorOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${fn}(): options must be an object like { dtype, device, requiresGrad }`);
  }
  if (options.device !== undefined) checkDevice(options.device, `${fn}(): device`);
  if (options.requiresGrad !== undefined && typeof options.requiresGrad !== 'boolean') {
    throw new TypeError(`${fn}(): requiresGrad must be a boolean`);
  }
  return options;
}

function shapeArg(shape: unknown, fn: string): number[] {
  const sizes = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(sizes)) throw new TypeError(`${fn}(): shape must be an array of integers, got ${describeValue(shape)}`);
  checkDenseArray(sizes, `${fn}(): shape`);
  return sizes.map((s: unknown, i) => {
    if (typeof s !== 'number' || !Number.isInteger(s)) throw new TypeError(`${fn}(): shape[${i}] must be an integer, got ${describeValue(s)}`);
    if (s < 0) throw new RangeError(`${fn}(): shape[${i}] must not be negative, got ${s}`);
    return s;
  });
}

/** Applies requiresGrad after creation, as PyTorch's factories do. */
function finish(tensor: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) native.setRequiresGrad(tensor.handle, true);
  return tensor;
}

function factory(
  fn: string,
  call: (shape: number[], dtype: number, device: Device | undefined) => unknown,
): (shape: readonly number[] | number, options?: TensorOptions) => Tensor {
  return (shape, options) => {
    const opts = checkOptions(options, fn);
    const sizes = shapeArg(shape, fn);
    return finish(Tensor.wrap(call(sizes, dtypeCode(opts.dtype ?? 'float32'), opts.device) as number), opts);
  };
}

export const zeros = factory('zeros', (s, d, dev) => callOp(op.zeros, s, d, undefined, dev));
export const ones = factory('ones', (s, d, dev) => callOp(op.ones, s, d, undefined, dev));
/** Uninitialised memory: contents are whatever was there. */
export const empty = factory('empty', (s, d, dev) => callOp(op.empty, s, d, undefined, dev));
/** Uniform on [0, 1). */
export const rand = factory('rand', (s, d, dev) => callOp(op.rand, s, d, undefined, dev));
/** Standard normal. */
export const randn = factory('randn', (s, d, dev) => callOp(op.randn, s, d, undefined, dev));

export function full(shape: readonly number[] | number, fillValue: number | boolean, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'full');
  if (typeof fillValue !== 'number' && typeof fillValue !== 'boolean') throw new TypeError('full(): fillValue must be a number or boolean');
  const dtype = opts.dtype ?? (typeof fillValue === 'boolean' ? 'bool' : 'float32');
  return finish(Tensor.wrap(callOp(op.full, shapeArg(shape, 'full'), fillValue, dtypeCode(dtype), undefined, opts.device)), opts);
}

/** arange(end), arange(start, end), arange(start, end, step). */
export function arange(start: number, end?: number, step = 1, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'arange');
  const [from, to] = end === undefined ? [0, start] : [start, end];
  for (const [name, v] of [['start', from], ['end', to], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`arange(): ${name} must be a finite number`);
  }
  if (step === 0) throw new RangeError('arange(): step must not be zero');
  const integral = Number.isInteger(from) && Number.isInteger(to) && Number.isInteger(step);
  const dtype = opts.dtype ?? (integral ? 'int64' : 'float32');
  return finish(Tensor.wrap(callOp(op.arange, from, to, step, dtypeCode(dtype), undefined, opts.device)), opts);
}

export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'linspace');
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('linspace(): steps must be a non-negative integer');
  return finish(Tensor.wrap(callOp(op.linspace, start, end, steps, dtypeCode(opts.dtype ?? 'float32'), undefined, opts.device)), opts);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m?: number, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'eye');
  return finish(Tensor.wrap(callOp(op.eye, n, m ?? n, dtypeCode(opts.dtype ?? 'float32'), undefined, opts.device)), opts);
}

/** Integers uniform on [low, high). */
export function randint(low: number, high: number, shape: readonly number[] | number, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'randint');
  return finish(Tensor.wrap(callOp(op.randint, low, high, shapeArg(shape, 'randint'), dtypeCode(opts.dtype ?? 'int64'), undefined, opts.device)), opts);
}

/** A random permutation of 0..n-1. */
export function randperm(n: number, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'randperm');
  return finish(Tensor.wrap(callOp(op.randperm, n, dtypeCode(opts.dtype ?? 'int64'), undefined, opts.device)), opts);
}

function likeFactory(fn: string, call: (self: number, dtype: number | undefined, device: Device | undefined) => unknown) {
  return (like: Tensor, options?: TensorOptions): Tensor => {
    const opts = checkOptions(options, fn);
    const self = handleOf(like, `${fn}(): input`);
    return finish(Tensor.wrap(call(self, opts.dtype === undefined ? undefined : dtypeCode(opts.dtype), opts.device) as number), opts);
  };
}

export const zerosLike = likeFactory('zerosLike', (t, d, dev) => callOp(op.zerosLike, t, d, undefined, dev));
export const onesLike = likeFactory('onesLike', (t, d, dev) => callOp(op.onesLike, t, d, undefined, dev));
export const emptyLike = likeFactory('emptyLike', (t, d, dev) => callOp(op.emptyLike, t, d, undefined, dev));
export const randLike = likeFactory('randLike', (t, d, dev) => callOp(op.randLike, t, d, undefined, dev));
export const randnLike = likeFactory('randnLike', (t, d, dev) => callOp(op.randnLike, t, d, undefined, dev));

export function fullLike(like: Tensor, fillValue: number | boolean, options?: TensorOptions): Tensor {
  return likeFactory('fullLike', (t, d, dev) => callOp(op.fullLike, t, fillValue, d, undefined, dev))(like, options);
}

export function randintLike(like: Tensor, low: number, high: number, options?: TensorOptions): Tensor {
  return likeFactory('randintLike', (t, d, dev) => callOp(op.randintLike, t, low, high, d, undefined, dev))(like, options);
}

/** Seeds every generator libtorch has (CPU and each CUDA device). */
export function manualSeed(seed: number): void {
  native.manualSeed(seed);
}

function tensorList(tensors: readonly Tensor[], fn: string): number[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${fn}(): tensors must be an array of Tensors`);
  checkDenseArray(tensors, `${fn}(): tensors`);
  return tensors.map((t, i) => handleOf(t, `${fn}(): tensors[${i}]`));
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return Tensor.wrap(callOp(op.cat, tensorList(tensors, 'cat'), dim));
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  return Tensor.wrap(callOp(op.stack, tensorList(tensors, 'stack'), dim));
}

/** Elements of x where condition holds, else of y; either may be a number (a Python scalar). */
export function where(condition: Tensor, x: Tensor | number | boolean, y: Tensor | number | boolean): Tensor {
  if (x instanceof Tensor) return x.where(condition, y);
  if (typeof x !== 'number' && typeof x !== 'boolean') throw new TypeError(`where(): x must be a Tensor, a number or a boolean, got ${describe(x)}`);
  if (y instanceof Tensor) return Tensor.wrap(callOp(op.whereScalarSelf, handleOf(condition, 'condition'), x, y.handle));
  if (typeof y !== 'number' && typeof y !== 'boolean') throw new TypeError(`where(): y must be a Tensor, a number or a boolean, got ${describe(y)}`);
  return Tensor.wrap(callOp(op.whereScalar, handleOf(condition, 'condition'), x, y));
}

// ---- tensor(data) -----------------------------------------------------------------------

type Leaf = 'number' | 'boolean' | 'bigint';

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** As PyTorch's torch.tensor(): deeper nesting is an error (and an array holding itself ends there). */
const MAX_DIMS = 128;

/**
 * Walks nested arrays: their shape, the kind of their leaves, and the leaves in order. The
 * shape (from the first element at each depth) is checked before the walk, and the walk
 * stops at the first hole, so a huge or sparse array is refused in O(its real elements).
 */
function flatten(data: TensorData): { shape: number[]; kind: Leaf; leaves: unknown[] } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    if (shape.length === MAX_DIMS) throw new RangeError(`tensor(): data is nested more than ${MAX_DIMS} arrays deep (does an array hold itself?)`);
    const path = `data${'[0]'.repeat(shape.length)}`;
    if (probe.length > 0 && !(0 in probe)) throw holeError(probe, `tensor(): ${path}`, 0);
    shape.push(probe.length);
    probe = probe[0];
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_ARRAY_LENGTH) {
    throw new RangeError(`tensor(): data of shape [${shape.join(', ')}] has ${count} elements, more than the ${MAX_ARRAY_LENGTH} that nested arrays can pass; pass a typed array (tensor(new Float32Array(n)).view(shape)) or use zeros(), full() or rand()`);
  }
  const leaves: unknown[] = [];
  let kind: Leaf | undefined;
  const visit = (value: unknown, level: number, path: string): void => {
    if (level < shape.length) {
      if (!Array.isArray(value)) throw new TypeError(`tensor(): ragged data: ${path || 'data'} is ${describe(value)}, expected an array of length ${shape[level]}`);
      if (value.length !== shape[level]) {
        throw new TypeError(`tensor(): ragged data: ${path || 'data'} has length ${value.length}, expected ${shape[level]}`);
      }
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) throw holeError(value, `tensor(): data${path}`, i);
        visit(value[i], level + 1, `${path}[${i}]`);
      }
      return;
    }
    const t = typeof value;
    if (t !== 'number' && t !== 'boolean' && t !== 'bigint') {
      throw new TypeError(`tensor(): element ${path || 'data'} is ${describe(value)}; expected numbers, booleans or bigints`);
    }
    kind ??= t as Leaf;
    if (t !== kind) throw new TypeError(`tensor(): element ${path} is a ${t} among ${kind}s; mix of kinds`);
    leaves.push(value);
  };
  visit(data, 0, '');
  return { shape, kind: kind ?? 'number', leaves };
}

/**
 * A tensor holding a copy of `data`: nested arrays, a scalar, or a TypedArray (1-D, its own
 * dtype unless options.dtype says otherwise).
 */
export function tensor(data: TensorData | ArrayBufferView, options?: TensorOptions): Tensor {
  const opts = checkOptions(options, 'tensor');
  if (ArrayBuffer.isView(data)) {
    const source = dtypeOfTypedArray(data);
    if (source === undefined) throw new TypeError(`tensor(): ${data.constructor.name} is not supported; use Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array or Uint8Array`);
    const length = data.byteLength / (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    return Tensor.wrap(native.fromBuffer(data, [length], dtypeCode(source), dtypeCode(opts.dtype ?? source), opts.device, opts.requiresGrad ?? false));
  }
  const { shape, kind, leaves } = flatten(data as TensorData);
  const dtype = opts.dtype ?? (kind === 'bigint' ? 'int64' : kind === 'boolean' ? 'bool' : 'float32');
  if (kind === 'bigint') checkIntegerRange(leaves as bigint[], 'int64'); // bigints travel as int64
  if (kind !== 'boolean') checkIntegerRange(leaves as (number | bigint)[], dtype);
  let buffer: ArrayBufferView;
  let source: DType;
  if (kind === 'bigint') {
    buffer = BigInt64Array.from(leaves as bigint[]);
    source = 'int64';
  } else if (kind === 'boolean') {
    buffer = Uint8Array.from(leaves as boolean[], (b) => (b ? 1 : 0));
    source = 'bool';
  } else {
    buffer = Float64Array.from(leaves as number[]);
    source = 'float64';
  }
  return Tensor.wrap(native.fromBuffer(buffer, shape, dtypeCode(source), dtypeCode(dtype), opts.device, opts.requiresGrad ?? false));
}

const INTEGER_RANGES: Partial<Record<DType, [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int8: [-128n, 127n],
  uint8: [0n, 255n],
};

/**
 * As PyTorch: a value an integer dtype cannot hold (NaN, ±Infinity, out of range) is an
 * error, not a silently wrapped number. Fractions truncate toward zero, as there.
 */
function checkIntegerRange(values: readonly (number | bigint)[], dtype: DType): void {
  const range = INTEGER_RANGES[dtype];
  if (!range) return;
  const [min, max] = range;
  const [lo, hi] = [Number(min), Number(max)];
  values.forEach((v, i) => {
    const fits = typeof v === 'bigint' ? v >= min && v <= max : Number.isFinite(v) && Math.trunc(v) >= lo && (dtype === 'int64' ? Math.trunc(v) < 2 ** 63 : Math.trunc(v) <= hi);
    if (!fits) throw new RangeError(`tensor(): value ${String(v)} (element ${i} in row-major order) cannot be converted to ${dtype} without overflow`);
  });
}
