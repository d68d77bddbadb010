// The Tensor: one libtorch tensor seen from JS, with PyTorch's methods in camelCase.
// Every method returns a new Tensor (in-place ones too, sharing storage with this one).
import { inspect } from 'node:util';

import { native, type Handle, type NativeValue } from '../native.js';
import { checkDenseArray, checkNestedArrays } from './arrays.js';
import { describeValue } from './describe.js';
import { checkDevice, isDeviceName, type Device } from './device.js';
import { DTYPES, dtypeCode, dtypeName, readDtype, typedArrayOf, type DType, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { atenOps, callOp } from './ops.js';
import { track, type Scoped } from './scope.js';

/** Nested arrays as toArray() returns them. */
export type NestedArray = number | boolean | NestedArray[];

export interface ValuesAndIndices {
  values: Tensor;
  indices: Tensor;
}

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

const op = atenOps({
  add: 'aten::add.Tensor',
  addScalar: 'aten::add.Scalar',
  sub: 'aten::sub.Tensor',
  subScalar: 'aten::sub.Scalar',
  mul: 'aten::mul.Tensor',
  mulScalar: 'aten::mul.Scalar',
  div: 'aten::div.Tensor',
  divScalar: 'aten::div.Scalar',
  divMode: 'aten::div.Tensor_mode',
  divScalarMode: 'aten::div.Scalar_mode',
  pow: 'aten::pow.Tensor_Tensor',
  powScalar: 'aten::pow.Tensor_Scalar',
  neg: 'aten::neg',
  exp: 'aten::exp',
  log: 'aten::log',
  log1p: 'aten::log1p',
  sqrt: 'aten::sqrt',
  rsqrt: 'aten::rsqrt',
  abs: 'aten::abs',
  tanh: 'aten::tanh',
  sigmoid: 'aten::sigmoid',
  silu: 'aten::silu',
  relu: 'aten::relu',
  gelu: 'aten::gelu',
  erf: 'aten::erf',
  sin: 'aten::sin',
  cos: 'aten::cos',
  reciprocal: 'aten::reciprocal',
  square: 'aten::square',
  floor: 'aten::floor',
  ceil: 'aten::ceil',
  round: 'aten::round',
  sign: 'aten::sign',
  clamp: 'aten::clamp',
  clampTensor: 'aten::clamp.Tensor',
  maximum: 'aten::maximum',
  minimum: 'aten::minimum',
  eq: 'aten::eq.Tensor',
  eqScalar: 'aten::eq.Scalar',
  ne: 'aten::ne.Tensor',
  neScalar: 'aten::ne.Scalar',
  lt: 'aten::lt.Tensor',
  ltScalar: 'aten::lt.Scalar',
  le: 'aten::le.Tensor',
  leScalar: 'aten::le.Scalar',
  gt: 'aten::gt.Tensor',
  gtScalar: 'aten::gt.Scalar',
  ge: 'aten::ge.Tensor',
  geScalar: 'aten::ge.Scalar',
  logicalAnd: 'aten::logical_and',
  logicalOr: 'aten::logical_or',
  logicalXor: 'aten::logical_xor',
  logicalNot: 'aten::logical_not',
  matmul: 'aten::matmul',
  mm: 'aten::mm',
  bmm: 'aten::bmm',
  outer: 'aten::outer',
  softmax: 'aten::softmax.int',
  logSoftmax: 'aten::log_softmax.int',
  sum: 'aten::sum',
  sumDim: 'aten::sum.dim_IntList',
  mean: 'aten::mean',
  meanDim: 'aten::mean.dim',
  prod: 'aten::prod',
  prodDim: 'aten::prod.dim_int',
  max: 'aten::max',
  maxDim: 'aten::max.dim',
  min: 'aten::min',
  minDim: 'aten::min.dim',
  argmax: 'aten::argmax',
  argmin: 'aten::argmin',
  all: 'aten::all',
  allDim: 'aten::all.dim',
  any: 'aten::any',
  anyDim: 'aten::any.dim',
  var: 'aten::var.correction',
  std: 'aten::std.correction',
  norm: 'aten::linalg_vector_norm',
  logsumexp: 'aten::logsumexp',
  topk: 'aten::topk',
  sort: 'aten::sort.stable',
  cumsum: 'aten::cumsum',
  view: 'aten::view',
  viewDtype: 'aten::view.dtype',
  reshape: 'aten::reshape',
  permute: 'aten::permute',
  transpose: 'aten::transpose.int',
  t: 'aten::t',
  unsqueeze: 'aten::unsqueeze',
  squeeze: 'aten::squeeze',
  squeezeDims: 'aten::squeeze.dims',
  flatten: 'aten::flatten.using_ints',
  expand: 'aten::expand',
  expandAs: 'aten::expand_as',
  repeat: 'aten::repeat',
  split: 'aten::split.Tensor',
  splitSizes: 'aten::split_with_sizes',
  chunk: 'aten::chunk',
  narrow: 'aten::narrow',
  select: 'aten::select.int',
  slice: 'aten::slice.Tensor',
  index: 'aten::index.Tensor',
  indexSelect: 'aten::index_select',
  gather: 'aten::gather',
  scatter: 'aten::scatter.src',
  scatterValue: 'aten::scatter.value',
  scatterAdd: 'aten::scatter_add',
  maskedFill: 'aten::masked_fill.Scalar',
  maskedFillTensor: 'aten::masked_fill.Tensor',
  maskedSelect: 'aten::masked_select',
  where: 'aten::where.self',
  whereScalarOther: 'aten::where.ScalarOther',
  tril: 'aten::tril',
  triu: 'aten::triu',
  flip: 'aten::flip',
  nonzero: 'aten::nonzero',
  to: 'aten::to.dtype_layout',
  contiguous: 'aten::contiguous',
  clone: 'aten::clone',
  detach: 'aten::detach',
  add_: 'aten::add_.Tensor',
  addScalar_: 'aten::add_.Scalar',
  sub_: 'aten::sub_.Tensor',
  subScalar_: 'aten::sub_.Scalar',
  mul_: 'aten::mul_.Tensor',
  mulScalar_: 'aten::mul_.Scalar',
  div_: 'aten::div_.Tensor',
  divScalar_: 'aten::div_.Scalar',
  pow_: 'aten::pow_.Scalar',
  neg_: 'aten::neg_',
  exp_: 'aten::exp_',
  sqrt_: 'aten::sqrt_',
  relu_: 'aten::relu_',
  clamp_: 'aten::clamp_',
  zero_: 'aten::zero_',
  fill_: 'aten::fill_.Scalar',
  copy_: 'aten::copy_',
  normal_: 'aten::normal_',
  uniform_: 'aten::uniform_',
  bernoulli_: 'aten::bernoulli_.float',
  maskedFill_: 'aten::masked_fill_.Scalar',
  addcmul_: 'aten::addcmul_',
  addcdiv_: 'aten::addcdiv_',
  lerp_: 'aten::lerp_.Scalar',
  unsqueeze_: 'aten::unsqueeze_',
  erfinv_: 'aten::erfinv_',
  requiresGrad_: 'aten::requires_grad_',
});

function dims(shape: readonly number[] | number, rest: number[], what: string): number[] {
  if (typeof shape === 'number') return [shape, ...rest];
  if (!Array.isArray(shape)) throw new TypeError(`${what} must be a number or an array of numbers, got ${describeValue(shape)}`);
  checkDenseArray(shape, what);
  return [...shape];
}

/** A list argument that goes to libtorch as it is (dims, sizes), checked first if it is an array. */
function listArg<T>(value: T, what: string): T {
  if (Array.isArray(value)) checkDenseArray(value, what);
  return value;
}

export class Tensor implements Scoped {
  /** @internal The addon's handle; use the methods instead. */
  readonly handle: Handle;
  /** @internal Set by torch.keep(): no scope frees this tensor. */
  kept = false;
  /** @internal Set by dispose(). */
  released = false;

  /** @internal Tensors come from torch.* functions and methods, not from this constructor. */
  constructor(handle: Handle) {
    // Each live handle belongs to exactly one Tensor: a number copied from another Tensor or
    // sent from another worker (whose handles mean nothing here) must not alias a tensor.
    const claim = native.claimHandle(handle);
    if (claim !== 0) {
      throw new TypeError(
        claim === 1
          ? 'new Tensor(handle): that handle belongs to a Tensor already; tensors are made by torch.tensor(), torch.zeros() and the like'
          : 'new Tensor(handle): not a live tensor handle of this thread (a handle from another worker means nothing here: send the data, e.g. toTypedArray(), and make a tensor of it); tensors are made by torch.tensor(), torch.zeros() and the like',
      );
    }
    this.handle = handle;
    track(this);
  }

  /** @internal Wraps what an operator returned as a Tensor. */
  static wrap(value: NativeValue): Tensor {
    if (typeof value !== 'number') throw new TypeError(`expected a tensor from libtorch, got ${String(value)}`);
    return new Tensor(value);
  }

  /** @internal Wraps an operator's list of tensors. */
  static wrapAll(value: NativeValue): Tensor[] {
    if (!Array.isArray(value)) throw new TypeError('expected a list of tensors from libtorch');
    return value.map((v) => Tensor.wrap(v));
  }

  static #pair(value: NativeValue): ValuesAndIndices {
    const [values, indices] = Tensor.wrapAll(value);
    return { values: values!, indices: indices! };
  }

  // ---- properties and read-back -------------------------------------------------------

  get shape(): number[] {
    return native.shape(this.handle);
  }

  get dtype(): DType {
    return dtypeName(native.dtype(this.handle));
  }

  get device(): Device {
    return native.device(this.handle);
  }

  get requiresGrad(): boolean {
    return native.requiresGrad(this.handle);
  }

  set requiresGrad(value: boolean) {
    native.setRequiresGrad(this.handle, value);
  }

  /** The gradient accumulated by backward(), or null; a new Tensor on each read. */
  get grad(): Tensor | null {
    const g = native.grad(this.handle);
    return g === null ? null : new Tensor(g);
  }

  set grad(value: Tensor | null) {
    if (value !== null && !(value instanceof Tensor)) throw new TypeError('grad must be a Tensor or null');
    native.setGrad(this.handle, value === null ? null : value.handle);
  }

  get isLeaf(): boolean {
    return native.isLeaf(this.handle);
  }

  /** The name of the autograd node that made this tensor ('AddBackward0'), or null. */
  get gradFn(): string | null {
    return native.gradFn(this.handle);
  }

  get isDisposed(): boolean {
    return native.isDisposed(this.handle);
  }

  numel(): number {
    return native.numel(this.handle);
  }

  dim(): number {
    return native.dim(this.handle);
  }

  size(dim?: number): number | number[] {
    const shape = this.shape;
    if (dim === undefined) return shape;
    const d = dim < 0 ? dim + shape.length : dim;
    if (!Number.isInteger(dim) || d < 0 || d >= shape.length) {
      throw new RangeError(`size(): dim ${describeValue(dim)} is out of range for a tensor of ${shape.length} dimensions`);
    }
    return shape[d]!;
  }

  isContiguous(): boolean {
    return native.isContiguous(this.handle);
  }

  isFloatingPoint(): boolean {
    const dtype = this.dtype;
    return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
  }

  /** The single element as a number (boolean for bool tensors). */
  item(): number | boolean {
    return native.item(this.handle);
  }

  /** A copy of the elements in row-major order; float16/bfloat16 widen to Float32Array, bool is Uint8Array. */
  toTypedArray(): TypedArray {
    const dtype = this.dtype;
    const read = readDtype(dtype);
    return typedArrayOf(dtype, native.toBuffer(this.handle, read === dtype ? undefined : dtypeCode(read)));
  }

  /**
   * The elements as nested arrays of numbers (booleans for bool tensors), like tolist(). A
   * result V8 cannot hold (over 2^24 arrays, an array over its longest, or past the heap) is
   * a RangeError before it is built.
   */
  toArray(): NestedArray {
    const shape = this.shape;
    checkNestedArrays(shape, false);
    const flat = this.toTypedArray();
    checkNestedArrays(shape, true);
    const isBool = this.dtype === 'bool';
    const at = (i: number): number | boolean => {
      const v = flat[i]!;
      return isBool ? v !== 0 : Number(v);
    };
    if (shape.length === 0) return at(0);
    let offset = 0;
    const build = (level: number): NestedArray[] => {
      const size = shape[level]!;
      const out: NestedArray[] = new Array(size);
      for (let i = 0; i < size; i++) out[i] = level === shape.length - 1 ? at(offset++) : build(level + 1);
      return out;
    };
    return build(0);
  }

  // ---- conversion ---------------------------------------------------------------------

  /** to('cuda'), to('float16'), or to({ device, dtype, copy }). */
  to(target: Device | DType | { device?: Device; dtype?: DType; copy?: boolean; nonBlocking?: boolean }): Tensor {
    let device: Device | undefined;
    let dtype: DType | undefined;
    let copy = false;
    let nonBlocking = false;
    if (typeof target === 'string') {
      if (isDeviceName(target)) device = checkDevice(target);
      else if ((DTYPES as readonly string[]).includes(target)) dtype = target as DType;
      else throw new TypeError(`to(): ${describeValue(target)} is neither a dtype (${DTYPES.join(', ')}) nor a device ('cpu', 'cuda' or 'cuda:N')`);
    } else if (target !== null && typeof target === 'object') {
      device = target.device === undefined ? undefined : checkDevice(target.device);
      dtype = target.dtype;
      copy = target.copy ?? false;
      nonBlocking = target.nonBlocking ?? false;
    } else {
      throw new TypeError(`to(): expected a device, a dtype or options, got ${describeValue(target)}`);
    }
    const code = dtype === undefined ? undefined : dtypeCode(dtype);
    return Tensor.wrap(callOp(op.to, this.handle, code, undefined, device, undefined, nonBlocking, copy));
  }

  cpu(): Tensor {
    return this.to({ device: 'cpu' });
  }

  cuda(index = 0): Tensor {
    return this.to({ device: `cuda:${index}` });
  }

  float(): Tensor {
    return this.to({ dtype: 'float32' });
  }

  double(): Tensor {
    return this.to({ dtype: 'float64' });
  }

  half(): Tensor {
    return this.to({ dtype: 'float16' });
  }

  bfloat16(): Tensor {
    return this.to({ dtype: 'bfloat16' });
  }

  long(): Tensor {
    return this.to({ dtype: 'int64' });
  }

  int(): Tensor {
    return this.to({ dtype: 'int32' });
  }

  bool(): Tensor {
    return this.to({ dtype: 'bool' });
  }

  contiguous(): Tensor {
    return Tensor.wrap(callOp(op.contiguous, this.handle));
  }

  clone(): Tensor {
    return Tensor.wrap(callOp(op.clone, this.handle));
  }

  /** A tensor sharing this one's storage, outside the autograd graph. */
  detach(): Tensor {
    return Tensor.wrap(callOp(op.detach, this.handle));
  }

  /**
   * Takes `source`'s data, dtype and device while keeping this tensor's identity, as
   * PyTorch's `param.data = source`: what holds this tensor (an optimizer) keeps working.
   */
  setData(source: Tensor): void {
    native.setData(this.handle, handleOf(source, 'source'));
  }

  // ---- memory -------------------------------------------------------------------------

  /** Frees the tensor now (idempotent). Later use throws a TorchError with code DISPOSED. */
  dispose(): void {
    this.released = true;
    native.dispose(this.handle);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- autograd -----------------------------------------------------------------------

  requiresGrad_(requiresGrad = true): Tensor {
    return Tensor.wrap(callOp(op.requiresGrad_, this.handle, requiresGrad));
  }

  retainGrad(): void {
    native.retainGrad(this.handle);
  }

  /** Accumulates d(this)/d(leaf) into each leaf's grad. A non-scalar needs `gradient`. */
  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    if (gradient !== undefined && gradient !== null && !(gradient instanceof Tensor)) {
      throw new TypeError('backward(): gradient must be a Tensor');
    }
    native.backward([this.handle], [gradient ? gradient.handle : null], options.retainGraph, options.createGraph ?? false);
  }

  // ---- shape and indexing -------------------------------------------------------------

  /** A view with another shape, or (given a dtype of the same size) the same bytes read as that dtype. */
  view(shape: readonly number[] | number | DType, ...rest: number[]): Tensor {
    if (typeof shape === 'string') return Tensor.wrap(callOp(op.viewDtype, this.handle, dtypeCode(shape)));
    return Tensor.wrap(callOp(op.view, this.handle, dims(shape, rest, 'view(): shape')));
  }

  reshape(shape: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(callOp(op.reshape, this.handle, dims(shape, rest, 'reshape(): shape')));
  }

  permute(order: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(callOp(op.permute, this.handle, dims(order, rest, 'permute(): dims')));
  }

  transpose(dim0: number, dim1: number): Tensor {
    return Tensor.wrap(callOp(op.transpose, this.handle, dim0, dim1));
  }

  /** Transpose of a matrix (tensors of at most 2 dimensions). */
  t(): Tensor {
    return Tensor.wrap(callOp(op.t, this.handle));
  }

  unsqueeze(dim: number): Tensor {
    return Tensor.wrap(callOp(op.unsqueeze, this.handle, dim));
  }

  squeeze(dim?: number | readonly number[]): Tensor {
    if (dim === undefined) return Tensor.wrap(callOp(op.squeeze, this.handle));
    return Tensor.wrap(callOp(op.squeezeDims, this.handle, typeof dim === 'number' ? [dim] : listArg(dim, 'squeeze(): dim')));
  }

  flatten(startDim = 0, endDim = -1): Tensor {
    return Tensor.wrap(callOp(op.flatten, this.handle, startDim, endDim));
  }

  expand(shape: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(callOp(op.expand, this.handle, dims(shape, rest, 'expand(): shape')));
  }

  expandAs(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.expandAs, this.handle, handleOf(other, 'other')));
  }

  repeat(repeats: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(callOp(op.repeat, this.handle, dims(repeats, rest, 'repeat(): repeats')));
  }

  /** Pieces of `splitSize` along dim, or pieces of the given sizes. */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    if (typeof splitSize === 'number') return Tensor.wrapAll(callOp(op.split, this.handle, splitSize, dim));
    return Tensor.wrapAll(callOp(op.splitSizes, this.handle, listArg(splitSize, 'split(): splitSize'), dim));
  }

  chunk(chunks: number, dim = 0): Tensor[] {
    return Tensor.wrapAll(callOp(op.chunk, this.handle, chunks, dim));
  }

  narrow(dim: number, start: number, length: number): Tensor {
    return Tensor.wrap(callOp(op.narrow, this.handle, dim, start, length));
  }

  select(dim: number, index: number): Tensor {
    return Tensor.wrap(callOp(op.select, this.handle, dim, index));
  }

  /** Python's x[start:end:step] along dim. */
  slice(dim = 0, start?: number, end?: number, step = 1): Tensor {
    return Tensor.wrap(callOp(op.slice, this.handle, dim, start, end, step));
  }

  /** Advanced indexing: x[i0, i1, ...] with index tensors (null keeps a dimension whole). */
  index(indices: readonly (Tensor | null)[]): Tensor {
    if (!Array.isArray(indices)) throw new TypeError('index(): indices must be an array of Tensors or nulls');
    checkDenseArray(indices, 'index(): indices');
    return Tensor.wrap(callOp(op.index, this.handle, indices.map((t, i) => (t === null ? null : handleOf(t, `indices[${i}]`)))));
  }

  indexSelect(dim: number, index: Tensor): Tensor {
    return Tensor.wrap(callOp(op.indexSelect, this.handle, dim, handleOf(index, 'index')));
  }

  gather(dim: number, index: Tensor): Tensor {
    return Tensor.wrap(callOp(op.gather, this.handle, dim, handleOf(index, 'index')));
  }

  scatter(dim: number, index: Tensor, src: Tensor | number | boolean): Tensor {
    if (typeof src === 'number' || typeof src === 'boolean') return Tensor.wrap(callOp(op.scatterValue, this.handle, dim, handleOf(index, 'index'), src));
    return Tensor.wrap(callOp(op.scatter, this.handle, dim, handleOf(index, 'index'), handleOf(src, 'src')));
  }

  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return Tensor.wrap(callOp(op.scatterAdd, this.handle, dim, handleOf(index, 'index'), handleOf(src, 'src')));
  }

  maskedFill(mask: Tensor, value: number | boolean | Tensor): Tensor {
    if (value instanceof Tensor) return Tensor.wrap(callOp(op.maskedFillTensor, this.handle, handleOf(mask, 'mask'), value.handle));
    return Tensor.wrap(callOp(op.maskedFill, this.handle, handleOf(mask, 'mask'), value));
  }

  maskedSelect(mask: Tensor): Tensor {
    return Tensor.wrap(callOp(op.maskedSelect, this.handle, handleOf(mask, 'mask')));
  }

  /** Elements of this where condition holds, else of other (torch.where(cond, this, other)). */
  where(condition: Tensor, other: Tensor | number | boolean): Tensor {
    if (typeof other === 'number' || typeof other === 'boolean') return Tensor.wrap(callOp(op.whereScalarOther, handleOf(condition, 'condition'), this.handle, other));
    return Tensor.wrap(callOp(op.where, handleOf(condition, 'condition'), this.handle, handleOf(other, 'other')));
  }

  tril(diagonal = 0): Tensor {
    return Tensor.wrap(callOp(op.tril, this.handle, diagonal));
  }

  triu(diagonal = 0): Tensor {
    return Tensor.wrap(callOp(op.triu, this.handle, diagonal));
  }

  flip(dimsToFlip: readonly number[] | number): Tensor {
    return Tensor.wrap(callOp(op.flip, this.handle, typeof dimsToFlip === 'number' ? [dimsToFlip] : listArg(dimsToFlip, 'flip(): dims')));
  }

  nonzero(): Tensor {
    return Tensor.wrap(callOp(op.nonzero, this.handle));
  }

  // ---- arithmetic (tensors or numbers, broadcasting) ----------------------------------

  add(other: Tensor | number, alpha?: number): Tensor {
    return binary(this, other, op.add, op.addScalar, alpha);
  }

  sub(other: Tensor | number, alpha?: number): Tensor {
    return binary(this, other, op.sub, op.subScalar, alpha);
  }

  mul(other: Tensor | number): Tensor {
    return binary(this, other, op.mul, op.mulScalar);
  }

  /** True division; roundingMode 'trunc' or 'floor' rounds the quotient. */
  div(other: Tensor | number, roundingMode?: 'trunc' | 'floor'): Tensor {
    if (roundingMode !== undefined) return binary(this, other, op.divMode, op.divScalarMode, roundingMode);
    return binary(this, other, op.div, op.divScalar);
  }

  pow(exponent: Tensor | number): Tensor {
    return binary(this, exponent, op.pow, op.powScalar);
  }

  neg(): Tensor {
    return Tensor.wrap(callOp(op.neg, this.handle));
  }

  exp(): Tensor {
    return Tensor.wrap(callOp(op.exp, this.handle));
  }

  log(): Tensor {
    return Tensor.wrap(callOp(op.log, this.handle));
  }

  log1p(): Tensor {
    return Tensor.wrap(callOp(op.log1p, this.handle));
  }

  sqrt(): Tensor {
    return Tensor.wrap(callOp(op.sqrt, this.handle));
  }

  rsqrt(): Tensor {
    return Tensor.wrap(callOp(op.rsqrt, this.handle));
  }

  abs(): Tensor {
    return Tensor.wrap(callOp(op.abs, this.handle));
  }

  tanh(): Tensor {
    return Tensor.wrap(callOp(op.tanh, this.handle));
  }

  sigmoid(): Tensor {
    return Tensor.wrap(callOp(op.sigmoid, this.handle));
  }

  relu(): Tensor {
    return Tensor.wrap(callOp(op.relu, this.handle));
  }

  /** x · sigmoid(x) (also called swish). */
  silu(): Tensor {
    return Tensor.wrap(callOp(op.silu, this.handle));
  }

  /** GELU: exact (erf) by default, or the tanh approximation. */
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor {
    return Tensor.wrap(callOp(op.gelu, this.handle, approximate));
  }

  erf(): Tensor {
    return Tensor.wrap(callOp(op.erf, this.handle));
  }

  sin(): Tensor {
    return Tensor.wrap(callOp(op.sin, this.handle));
  }

  cos(): Tensor {
    return Tensor.wrap(callOp(op.cos, this.handle));
  }

  reciprocal(): Tensor {
    return Tensor.wrap(callOp(op.reciprocal, this.handle));
  }

  square(): Tensor {
    return Tensor.wrap(callOp(op.square, this.handle));
  }

  floor(): Tensor {
    return Tensor.wrap(callOp(op.floor, this.handle));
  }

  ceil(): Tensor {
    return Tensor.wrap(callOp(op.ceil, this.handle));
  }

  round(): Tensor {
    return Tensor.wrap(callOp(op.round, this.handle));
  }

  sign(): Tensor {
    return Tensor.wrap(callOp(op.sign, this.handle));
  }

  /**
   * Limits elements to [min, max]; either bound may be omitted (null or undefined). A number
   * beside a 0-dim Tensor bound takes that tensor as a number too, as PyTorch does; beside a
   * larger Tensor (which PyTorch refuses) it is a wrapped number, as in torch.add(t, 2).
   */
  clamp(min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
    if (min instanceof Tensor || max instanceof Tensor) {
      const made: Tensor[] = [];
      const mixed = !(min instanceof Tensor && max instanceof Tensor) && min !== null && min !== undefined && max !== null && max !== undefined;
      const bound = (b: number | Tensor | null | undefined): Handle | undefined => {
        if (b === null || b === undefined) return undefined;
        if (b instanceof Tensor && !(mixed && b.dim() === 0)) return b.handle;
        const t = b instanceof Tensor ? wrappedScalarOf(this, b) : wrappedScalar(this, b);
        made.push(t);
        return t.handle;
      };
      try {
        return Tensor.wrap(callOp(op.clampTensor, this.handle, bound(min), bound(max)));
      } finally {
        for (const t of made) t.dispose();
      }
    }
    return Tensor.wrap(callOp(op.clamp, this.handle, min ?? undefined, max ?? undefined));
  }

  maximum(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.maximum, this.handle, handleOf(other, 'other')));
  }

  minimum(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.minimum, this.handle, handleOf(other, 'other')));
  }

  // ---- comparison and logic -----------------------------------------------------------

  eq(other: Tensor | number | boolean): Tensor {
    return binary(this, other, op.eq, op.eqScalar);
  }

  ne(other: Tensor | number | boolean): Tensor {
    return binary(this, other, op.ne, op.neScalar);
  }

  lt(other: Tensor | number): Tensor {
    return binary(this, other, op.lt, op.ltScalar);
  }

  le(other: Tensor | number): Tensor {
    return binary(this, other, op.le, op.leScalar);
  }

  gt(other: Tensor | number): Tensor {
    return binary(this, other, op.gt, op.gtScalar);
  }

  ge(other: Tensor | number): Tensor {
    return binary(this, other, op.ge, op.geScalar);
  }

  logicalAnd(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.logicalAnd, this.handle, handleOf(other, 'other')));
  }

  logicalOr(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.logicalOr, this.handle, handleOf(other, 'other')));
  }

  logicalXor(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.logicalXor, this.handle, handleOf(other, 'other')));
  }

  logicalNot(): Tensor {
    return Tensor.wrap(callOp(op.logicalNot, this.handle));
  }

  // ---- linear algebra -----------------------------------------------------------------

  matmul(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.matmul, this.handle, handleOf(other, 'other')));
  }

  mm(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.mm, this.handle, handleOf(other, 'other')));
  }

  bmm(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.bmm, this.handle, handleOf(other, 'other')));
  }

  outer(other: Tensor): Tensor {
    return Tensor.wrap(callOp(op.outer, this.handle, handleOf(other, 'other')));
  }

  softmax(dim: number, dtype?: DType): Tensor {
    return Tensor.wrap(callOp(op.softmax, this.handle, dim, dtype === undefined ? undefined : dtypeCode(dtype)));
  }

  logSoftmax(dim: number, dtype?: DType): Tensor {
    return Tensor.wrap(callOp(op.logSoftmax, this.handle, dim, dtype === undefined ? undefined : dtypeCode(dtype)));
  }

  // ---- reductions ---------------------------------------------------------------------

  sum(dim?: number | readonly number[], keepdim = false, dtype?: DType): Tensor {
    const code = dtype === undefined ? undefined : dtypeCode(dtype);
    if (dim === undefined) return Tensor.wrap(callOp(op.sum, this.handle, code));
    return Tensor.wrap(callOp(op.sumDim, this.handle, listArg(dim, 'sum(): dim'), keepdim, code));
  }

  mean(dim?: number | readonly number[], keepdim = false, dtype?: DType): Tensor {
    const code = dtype === undefined ? undefined : dtypeCode(dtype);
    if (dim === undefined) return Tensor.wrap(callOp(op.mean, this.handle, code));
    return Tensor.wrap(callOp(op.meanDim, this.handle, listArg(dim, 'mean(): dim'), keepdim, code));
  }

  prod(dim?: number, keepdim = false): Tensor {
    if (dim === undefined) return Tensor.wrap(callOp(op.prod, this.handle));
    return Tensor.wrap(callOp(op.prodDim, this.handle, dim, keepdim));
  }

  /** The largest element; with dim, the largest along it and where it was. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesAndIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesAndIndices {
    if (dim === undefined) return Tensor.wrap(callOp(op.max, this.handle));
    return Tensor.#pair(callOp(op.maxDim, this.handle, dim, keepdim));
  }

  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesAndIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesAndIndices {
    if (dim === undefined) return Tensor.wrap(callOp(op.min, this.handle));
    return Tensor.#pair(callOp(op.minDim, this.handle, dim, keepdim));
  }

  argmax(dim?: number, keepdim = false): Tensor {
    return Tensor.wrap(callOp(op.argmax, this.handle, dim, keepdim));
  }

  argmin(dim?: number, keepdim = false): Tensor {
    return Tensor.wrap(callOp(op.argmin, this.handle, dim, keepdim));
  }

  all(dim?: number, keepdim = false): Tensor {
    if (dim === undefined) return Tensor.wrap(callOp(op.all, this.handle));
    return Tensor.wrap(callOp(op.allDim, this.handle, dim, keepdim));
  }

  any(dim?: number, keepdim = false): Tensor {
    if (dim === undefined) return Tensor.wrap(callOp(op.any, this.handle));
    return Tensor.wrap(callOp(op.anyDim, this.handle, dim, keepdim));
  }

  /** Variance with Bessel's correction by default (correction = 1), as PyTorch. */
  var(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return Tensor.wrap(callOp(op.var, this.handle, listArg(dim, 'var(): dim'), options.correction ?? 1, options.keepdim ?? false));
  }

  std(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return Tensor.wrap(callOp(op.std, this.handle, listArg(dim, 'std(): dim'), options.correction ?? 1, options.keepdim ?? false));
  }

  /** The p-norm over all elements or over dim (torch.linalg.vector_norm). */
  norm(p = 2, dim?: number | readonly number[], keepdim = false): Tensor {
    return Tensor.wrap(callOp(op.norm, this.handle, p, listArg(dim, 'norm(): dim'), keepdim));
  }

  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return Tensor.wrap(callOp(op.logsumexp, this.handle, listArg(dim, 'logsumexp(): dim'), keepdim));
  }

  topk(k: number, dim = -1, largest = true, sorted = true): ValuesAndIndices {
    return Tensor.#pair(callOp(op.topk, this.handle, k, dim, largest, sorted));
  }

  sort(dim = -1, descending = false, stable = false): ValuesAndIndices {
    return Tensor.#pair(callOp(op.sort, this.handle, stable, dim, descending));
  }

  cumsum(dim: number, dtype?: DType): Tensor {
    return Tensor.wrap(callOp(op.cumsum, this.handle, dim, dtype === undefined ? undefined : dtypeCode(dtype)));
  }

  // ---- in place (each returns a new handle on the same storage) ------------------------

  add_(other: Tensor | number, alpha?: number): Tensor {
    return binary(this, other, op.add_, op.addScalar_, alpha);
  }

  sub_(other: Tensor | number, alpha?: number): Tensor {
    return binary(this, other, op.sub_, op.subScalar_, alpha);
  }

  mul_(other: Tensor | number): Tensor {
    return binary(this, other, op.mul_, op.mulScalar_);
  }

  div_(other: Tensor | number): Tensor {
    return binary(this, other, op.div_, op.divScalar_);
  }

  pow_(exponent: number): Tensor {
    return Tensor.wrap(callOp(op.pow_, this.handle, exponent));
  }

  neg_(): Tensor {
    return Tensor.wrap(callOp(op.neg_, this.handle));
  }

  exp_(): Tensor {
    return Tensor.wrap(callOp(op.exp_, this.handle));
  }

  sqrt_(): Tensor {
    return Tensor.wrap(callOp(op.sqrt_, this.handle));
  }

  relu_(): Tensor {
    return Tensor.wrap(callOp(op.relu_, this.handle));
  }

  clamp_(min?: number | null, max?: number | null): Tensor {
    return Tensor.wrap(callOp(op.clamp_, this.handle, min ?? undefined, max ?? undefined));
  }

  zero_(): Tensor {
    return Tensor.wrap(callOp(op.zero_, this.handle));
  }

  fill_(value: number | boolean): Tensor {
    return Tensor.wrap(callOp(op.fill_, this.handle, value));
  }

  copy_(src: Tensor): Tensor {
    return Tensor.wrap(callOp(op.copy_, this.handle, handleOf(src, 'src')));
  }

  normal_(mean = 0, std = 1): Tensor {
    return Tensor.wrap(callOp(op.normal_, this.handle, mean, std));
  }

  uniform_(from = 0, to = 1): Tensor {
    return Tensor.wrap(callOp(op.uniform_, this.handle, from, to));
  }

  bernoulli_(p = 0.5): Tensor {
    return Tensor.wrap(callOp(op.bernoulli_, this.handle, p));
  }

  maskedFill_(mask: Tensor, value: number | boolean): Tensor {
    return Tensor.wrap(callOp(op.maskedFill_, this.handle, handleOf(mask, 'mask'), value));
  }

  /** this += value * tensor1 * tensor2 */
  addcmul_(tensor1: Tensor, tensor2: Tensor, value = 1): Tensor {
    return Tensor.wrap(callOp(op.addcmul_, this.handle, handleOf(tensor1, 'tensor1'), handleOf(tensor2, 'tensor2'), value));
  }

  /** this += value * tensor1 / tensor2 */
  addcdiv_(tensor1: Tensor, tensor2: Tensor, value = 1): Tensor {
    return Tensor.wrap(callOp(op.addcdiv_, this.handle, handleOf(tensor1, 'tensor1'), handleOf(tensor2, 'tensor2'), value));
  }

  lerp_(end: Tensor, weight: number): Tensor {
    return Tensor.wrap(callOp(op.lerp_, this.handle, handleOf(end, 'end'), weight));
  }

  erfinv_(): Tensor {
    return Tensor.wrap(callOp(op.erfinv_, this.handle));
  }

  unsqueeze_(dim: number): Tensor {
    return Tensor.wrap(callOp(op.unsqueeze_, this.handle, dim));
  }

  // ---- printing -----------------------------------------------------------------------

  toString(): string {
    return formatTensor(this);
  }

  [inspect.custom](): string {
    return formatTensor(this);
  }
}

/** The handle of a Tensor argument, or a TypeError naming it. */
export function handleOf(value: unknown, what: string): Handle {
  if (!(value instanceof Tensor)) {
    throw new TypeError(`${what} must be a Tensor, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value.handle;
}

/** One op of a Tensor-and-Tensor / Tensor-and-number pair, picked by the type of other; alpha or a rounding mode last. */
function binary(self: Tensor, other: unknown, tensorOp: number, scalarOp: number, alpha?: number | string): Tensor {
  if (other instanceof Tensor) {
    return Tensor.wrap(alpha === undefined ? callOp(tensorOp, self.handle, other.handle) : callOp(tensorOp, self.handle, other.handle, alpha));
  }
  if (typeof other === 'number' || typeof other === 'boolean') {
    return Tensor.wrap(alpha === undefined ? callOp(scalarOp, self.handle, other) : callOp(scalarOp, self.handle, other, alpha));
  }
  throw new TypeError(`other must be a Tensor or a number, got ${other === null ? 'null' : typeof other}`);
}

/**
 * @internal `value` as the 0-dim tensor PyTorch makes of a Python scalar given for a Tensor
 * argument, on near's device: a wrapped number (int64 for an integral number, float64 for
 * another, bool for a boolean; `floating` makes an integral number a float), which type
 * promotion ranks below every tensor, so int32 tensor + 2 stays int32 and int64 / 2.5 is float32.
 */
export function wrappedScalar(near: Tensor, value: number | boolean | bigint, floating = false): Tensor {
  return Tensor.wrap(native.wrappedScalar(value, native.device(near.handle), floating));
}

/** The value of a 0-dim tensor as the Python scalar PyTorch reads from it (item()), wrapped. */
function wrappedScalarOf(near: Tensor, scalar: Tensor): Tensor {
  const value = native.item(scalar.handle);
  if (typeof value === 'boolean') return wrappedScalar(near, value);
  return scalar.isFloatingPoint() ? wrappedScalar(near, value, true) : wrappedScalar(near, BigInt(value));
}
