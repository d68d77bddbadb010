// The Tensor: one libtorch tensor seen from JS, with PyTorch's methods in camelCase.
// Every method returns a new Tensor (in-place ones too, sharing storage with this one).
import { inspect } from 'node:util';

import { native, type Handle, type NativeValue } from '../native.js';
import { checkDevice, type Device } from './device.js';
import { dtypeCode, dtypeName, readDtype, typedArrayOf, type DType, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { aten } from './ops.js';
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

const op = {
  add: aten('aten::add.Tensor'),
  addScalar: aten('aten::add.Scalar'),
  sub: aten('aten::sub.Tensor'),
  subScalar: aten('aten::sub.Scalar'),
  mul: aten('aten::mul.Tensor'),
  mulScalar: aten('aten::mul.Scalar'),
  div: aten('aten::div.Tensor'),
  divScalar: aten('aten::div.Scalar'),
  divMode: aten('aten::div.Tensor_mode'),
  pow: aten('aten::pow.Tensor_Tensor'),
  powScalar: aten('aten::pow.Tensor_Scalar'),
  neg: aten('aten::neg'),
  exp: aten('aten::exp'),
  log: aten('aten::log'),
  log1p: aten('aten::log1p'),
  sqrt: aten('aten::sqrt'),
  rsqrt: aten('aten::rsqrt'),
  abs: aten('aten::abs'),
  tanh: aten('aten::tanh'),
  sigmoid: aten('aten::sigmoid'),
  relu: aten('aten::relu'),
  gelu: aten('aten::gelu'),
  erf: aten('aten::erf'),
  sin: aten('aten::sin'),
  cos: aten('aten::cos'),
  reciprocal: aten('aten::reciprocal'),
  square: aten('aten::square'),
  floor: aten('aten::floor'),
  ceil: aten('aten::ceil'),
  round: aten('aten::round'),
  sign: aten('aten::sign'),
  clamp: aten('aten::clamp'),
  clampTensor: aten('aten::clamp.Tensor'),
  maximum: aten('aten::maximum'),
  minimum: aten('aten::minimum'),
  eq: aten('aten::eq.Tensor'),
  eqScalar: aten('aten::eq.Scalar'),
  ne: aten('aten::ne.Tensor'),
  neScalar: aten('aten::ne.Scalar'),
  lt: aten('aten::lt.Tensor'),
  ltScalar: aten('aten::lt.Scalar'),
  le: aten('aten::le.Tensor'),
  leScalar: aten('aten::le.Scalar'),
  gt: aten('aten::gt.Tensor'),
  gtScalar: aten('aten::gt.Scalar'),
  ge: aten('aten::ge.Tensor'),
  geScalar: aten('aten::ge.Scalar'),
  logicalAnd: aten('aten::logical_and'),
  logicalOr: aten('aten::logical_or'),
  logicalXor: aten('aten::logical_xor'),
  logicalNot: aten('aten::logical_not'),
  matmul: aten('aten::matmul'),
  mm: aten('aten::mm'),
  bmm: aten('aten::bmm'),
  outer: aten('aten::outer'),
  softmax: aten('aten::softmax.int'),
  logSoftmax: aten('aten::log_softmax.int'),
  sum: aten('aten::sum'),
  sumDim: aten('aten::sum.dim_IntList'),
  mean: aten('aten::mean'),
  meanDim: aten('aten::mean.dim'),
  prod: aten('aten::prod'),
  prodDim: aten('aten::prod.dim_int'),
  max: aten('aten::max'),
  maxDim: aten('aten::max.dim'),
  min: aten('aten::min'),
  minDim: aten('aten::min.dim'),
  argmax: aten('aten::argmax'),
  argmin: aten('aten::argmin'),
  all: aten('aten::all'),
  allDim: aten('aten::all.dim'),
  any: aten('aten::any'),
  anyDim: aten('aten::any.dim'),
  var: aten('aten::var.correction'),
  std: aten('aten::std.correction'),
  norm: aten('aten::linalg_vector_norm'),
  logsumexp: aten('aten::logsumexp'),
  topk: aten('aten::topk'),
  sort: aten('aten::sort.stable'),
  cumsum: aten('aten::cumsum'),
  view: aten('aten::view'),
  reshape: aten('aten::reshape'),
  permute: aten('aten::permute'),
  transpose: aten('aten::transpose.int'),
  t: aten('aten::t'),
  unsqueeze: aten('aten::unsqueeze'),
  squeeze: aten('aten::squeeze'),
  squeezeDims: aten('aten::squeeze.dims'),
  flatten: aten('aten::flatten.using_ints'),
  expand: aten('aten::expand'),
  expandAs: aten('aten::expand_as'),
  repeat: aten('aten::repeat'),
  split: aten('aten::split.Tensor'),
  splitSizes: aten('aten::split_with_sizes'),
  chunk: aten('aten::chunk'),
  narrow: aten('aten::narrow'),
  select: aten('aten::select.int'),
  slice: aten('aten::slice.Tensor'),
  index: aten('aten::index.Tensor'),
  indexSelect: aten('aten::index_select'),
  gather: aten('aten::gather'),
  scatter: aten('aten::scatter.src'),
  scatterValue: aten('aten::scatter.value'),
  scatterAdd: aten('aten::scatter_add'),
  maskedFill: aten('aten::masked_fill.Scalar'),
  maskedFillTensor: aten('aten::masked_fill.Tensor'),
  maskedSelect: aten('aten::masked_select'),
  where: aten('aten::where.self'),
  whereScalarOther: aten('aten::where.ScalarOther'),
  tril: aten('aten::tril'),
  triu: aten('aten::triu'),
  flip: aten('aten::flip'),
  nonzero: aten('aten::nonzero'),
  to: aten('aten::to.dtype_layout'),
  contiguous: aten('aten::contiguous'),
  clone: aten('aten::clone'),
  detach: aten('aten::detach'),
  add_: aten('aten::add_.Tensor'),
  addScalar_: aten('aten::add_.Scalar'),
  sub_: aten('aten::sub_.Tensor'),
  subScalar_: aten('aten::sub_.Scalar'),
  mul_: aten('aten::mul_.Tensor'),
  mulScalar_: aten('aten::mul_.Scalar'),
  div_: aten('aten::div_.Tensor'),
  divScalar_: aten('aten::div_.Scalar'),
  pow_: aten('aten::pow_.Scalar'),
  neg_: aten('aten::neg_'),
  exp_: aten('aten::exp_'),
  sqrt_: aten('aten::sqrt_'),
  relu_: aten('aten::relu_'),
  clamp_: aten('aten::clamp_'),
  zero_: aten('aten::zero_'),
  fill_: aten('aten::fill_.Scalar'),
  copy_: aten('aten::copy_'),
  normal_: aten('aten::normal_'),
  uniform_: aten('aten::uniform_'),
  bernoulli_: aten('aten::bernoulli_.float'),
  maskedFill_: aten('aten::masked_fill_.Scalar'),
  addcmul_: aten('aten::addcmul_'),
  addcdiv_: aten('aten::addcdiv_'),
  lerp_: aten('aten::lerp_.Scalar'),
  unsqueeze_: aten('aten::unsqueeze_'),
  requiresGrad_: aten('aten::requires_grad_'),
};

function dims(shape: readonly number[] | number, rest: number[]): number[] {
  return typeof shape === 'number' ? [shape, ...rest] : [...shape];
}

export class Tensor implements Scoped {
  /** @internal The addon's handle; use the methods instead. */
  readonly handle: Handle;
  /** @internal Set by torch.keep(): no scope frees this tensor. */
  kept = false;

  /** @internal Tensors come from torch.* functions and methods, not from this constructor. */
  constructor(handle: Handle) {
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
      throw new RangeError(`size(): dim ${dim} is out of range for a tensor of ${shape.length} dimensions`);
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

  /** The elements as nested arrays of numbers (booleans for bool tensors), like tolist(). */
  toArray(): NestedArray {
    const shape = this.shape;
    const flat = this.toTypedArray();
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
      if (/^(cpu|cuda|meta)(:\d+)?$/.test(target)) device = target;
      else dtype = target as DType;
    } else if (target !== null && typeof target === 'object') {
      device = target.device === undefined ? undefined : checkDevice(target.device);
      dtype = target.dtype;
      copy = target.copy ?? false;
      nonBlocking = target.nonBlocking ?? false;
    } else {
      throw new TypeError(`to(): expected a device, a dtype or options, got ${String(target)}`);
    }
    const code = dtype === undefined ? undefined : dtypeCode(dtype);
    return Tensor.wrap(op.to(this.handle, code, undefined, device, undefined, nonBlocking, copy));
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
    return Tensor.wrap(op.contiguous(this.handle));
  }

  clone(): Tensor {
    return Tensor.wrap(op.clone(this.handle));
  }

  /** A tensor sharing this one's storage, outside the autograd graph. */
  detach(): Tensor {
    return Tensor.wrap(op.detach(this.handle));
  }

  // ---- memory -------------------------------------------------------------------------

  /** Frees the tensor now (idempotent). Later use throws a TorchError with code DISPOSED. */
  dispose(): void {
    native.dispose(this.handle);
  }

  [Symbol.dispose](): void {
    native.dispose(this.handle);
  }

  // ---- autograd -----------------------------------------------------------------------

  requiresGrad_(requiresGrad = true): Tensor {
    return Tensor.wrap(op.requiresGrad_(this.handle, requiresGrad));
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

  view(shape: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(op.view(this.handle, dims(shape, rest)));
  }

  reshape(shape: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(op.reshape(this.handle, dims(shape, rest)));
  }

  permute(order: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(op.permute(this.handle, dims(order, rest)));
  }

  transpose(dim0: number, dim1: number): Tensor {
    return Tensor.wrap(op.transpose(this.handle, dim0, dim1));
  }

  /** Transpose of a matrix (tensors of at most 2 dimensions). */
  t(): Tensor {
    return Tensor.wrap(op.t(this.handle));
  }

  unsqueeze(dim: number): Tensor {
    return Tensor.wrap(op.unsqueeze(this.handle, dim));
  }

  squeeze(dim?: number | readonly number[]): Tensor {
    if (dim === undefined) return Tensor.wrap(op.squeeze(this.handle));
    return Tensor.wrap(op.squeezeDims(this.handle, typeof dim === 'number' ? [dim] : dim));
  }

  flatten(startDim = 0, endDim = -1): Tensor {
    return Tensor.wrap(op.flatten(this.handle, startDim, endDim));
  }

  expand(shape: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(op.expand(this.handle, dims(shape, rest)));
  }

  expandAs(other: Tensor): Tensor {
    return Tensor.wrap(op.expandAs(this.handle, handleOf(other, 'other')));
  }

  repeat(repeats: readonly number[] | number, ...rest: number[]): Tensor {
    return Tensor.wrap(op.repeat(this.handle, dims(repeats, rest)));
  }

  /** Pieces of `splitSize` along dim, or pieces of the given sizes. */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    if (typeof splitSize === 'number') return Tensor.wrapAll(op.split(this.handle, splitSize, dim));
    return Tensor.wrapAll(op.splitSizes(this.handle, splitSize, dim));
  }

  chunk(chunks: number, dim = 0): Tensor[] {
    return Tensor.wrapAll(op.chunk(this.handle, chunks, dim));
  }

  narrow(dim: number, start: number, length: number): Tensor {
    return Tensor.wrap(op.narrow(this.handle, dim, start, length));
  }

  select(dim: number, index: number): Tensor {
    return Tensor.wrap(op.select(this.handle, dim, index));
  }

  /** Python's x[start:end:step] along dim. */
  slice(dim = 0, start?: number, end?: number, step = 1): Tensor {
    return Tensor.wrap(op.slice(this.handle, dim, start, end, step));
  }

  /** Advanced indexing: x[i0, i1, ...] with index tensors (null keeps a dimension whole). */
  index(indices: readonly (Tensor | null)[]): Tensor {
    if (!Array.isArray(indices)) throw new TypeError('index(): indices must be an array of Tensors or nulls');
    return Tensor.wrap(op.index(this.handle, indices.map((t, i) => (t === null ? null : handleOf(t, `indices[${i}]`)))));
  }

  indexSelect(dim: number, index: Tensor): Tensor {
    return Tensor.wrap(op.indexSelect(this.handle, dim, handleOf(index, 'index')));
  }

  gather(dim: number, index: Tensor): Tensor {
    return Tensor.wrap(op.gather(this.handle, dim, handleOf(index, 'index')));
  }

  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor {
    if (typeof src === 'number') return Tensor.wrap(op.scatterValue(this.handle, dim, handleOf(index, 'index'), src));
    return Tensor.wrap(op.scatter(this.handle, dim, handleOf(index, 'index'), handleOf(src, 'src')));
  }

  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return Tensor.wrap(op.scatterAdd(this.handle, dim, handleOf(index, 'index'), handleOf(src, 'src')));
  }

  maskedFill(mask: Tensor, value: number | boolean | Tensor): Tensor {
    if (value instanceof Tensor) return Tensor.wrap(op.maskedFillTensor(this.handle, handleOf(mask, 'mask'), value.handle));
    return Tensor.wrap(op.maskedFill(this.handle, handleOf(mask, 'mask'), value));
  }

  maskedSelect(mask: Tensor): Tensor {
    return Tensor.wrap(op.maskedSelect(this.handle, handleOf(mask, 'mask')));
  }

  /** Elements of this where condition holds, else of other (torch.where(cond, this, other)). */
  where(condition: Tensor, other: Tensor | number): Tensor {
    if (typeof other === 'number') return Tensor.wrap(op.whereScalarOther(handleOf(condition, 'condition'), this.handle, other));
    return Tensor.wrap(op.where(handleOf(condition, 'condition'), this.handle, handleOf(other, 'other')));
  }

  tril(diagonal = 0): Tensor {
    return Tensor.wrap(op.tril(this.handle, diagonal));
  }

  triu(diagonal = 0): Tensor {
    return Tensor.wrap(op.triu(this.handle, diagonal));
  }

  flip(dimsToFlip: readonly number[] | number): Tensor {
    return Tensor.wrap(op.flip(this.handle, typeof dimsToFlip === 'number' ? [dimsToFlip] : dimsToFlip));
  }

  nonzero(): Tensor {
    return Tensor.wrap(op.nonzero(this.handle));
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
    if (roundingMode !== undefined) {
      if (other instanceof Tensor) return Tensor.wrap(op.divMode(this.handle, other.handle, roundingMode));
      const divisor = scalarLike(this, other);
      try {
        return Tensor.wrap(op.divMode(this.handle, divisor.handle, roundingMode));
      } finally {
        divisor.dispose();
      }
    }
    return binary(this, other, op.div, op.divScalar);
  }

  pow(exponent: Tensor | number): Tensor {
    return binary(this, exponent, op.pow, op.powScalar);
  }

  neg(): Tensor {
    return Tensor.wrap(op.neg(this.handle));
  }

  exp(): Tensor {
    return Tensor.wrap(op.exp(this.handle));
  }

  log(): Tensor {
    return Tensor.wrap(op.log(this.handle));
  }

  log1p(): Tensor {
    return Tensor.wrap(op.log1p(this.handle));
  }

  sqrt(): Tensor {
    return Tensor.wrap(op.sqrt(this.handle));
  }

  rsqrt(): Tensor {
    return Tensor.wrap(op.rsqrt(this.handle));
  }

  abs(): Tensor {
    return Tensor.wrap(op.abs(this.handle));
  }

  tanh(): Tensor {
    return Tensor.wrap(op.tanh(this.handle));
  }

  sigmoid(): Tensor {
    return Tensor.wrap(op.sigmoid(this.handle));
  }

  relu(): Tensor {
    return Tensor.wrap(op.relu(this.handle));
  }

  /** GELU: exact (erf) by default, or the tanh approximation. */
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor {
    return Tensor.wrap(op.gelu(this.handle, approximate));
  }

  erf(): Tensor {
    return Tensor.wrap(op.erf(this.handle));
  }

  sin(): Tensor {
    return Tensor.wrap(op.sin(this.handle));
  }

  cos(): Tensor {
    return Tensor.wrap(op.cos(this.handle));
  }

  reciprocal(): Tensor {
    return Tensor.wrap(op.reciprocal(this.handle));
  }

  square(): Tensor {
    return Tensor.wrap(op.square(this.handle));
  }

  floor(): Tensor {
    return Tensor.wrap(op.floor(this.handle));
  }

  ceil(): Tensor {
    return Tensor.wrap(op.ceil(this.handle));
  }

  round(): Tensor {
    return Tensor.wrap(op.round(this.handle));
  }

  sign(): Tensor {
    return Tensor.wrap(op.sign(this.handle));
  }

  /** Limits elements to [min, max]; either bound may be omitted (null or undefined). */
  clamp(min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
    if (min instanceof Tensor || max instanceof Tensor) {
      const made: Tensor[] = [];
      const bound = (b: number | Tensor | null | undefined): Handle | undefined => {
        if (b instanceof Tensor) return b.handle;
        if (b === null || b === undefined) return undefined;
        const t = scalarLike(this, b);
        made.push(t);
        return t.handle;
      };
      try {
        return Tensor.wrap(op.clampTensor(this.handle, bound(min), bound(max)));
      } finally {
        for (const t of made) t.dispose();
      }
    }
    return Tensor.wrap(op.clamp(this.handle, min ?? undefined, max ?? undefined));
  }

  maximum(other: Tensor): Tensor {
    return Tensor.wrap(op.maximum(this.handle, handleOf(other, 'other')));
  }

  minimum(other: Tensor): Tensor {
    return Tensor.wrap(op.minimum(this.handle, handleOf(other, 'other')));
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
    return Tensor.wrap(op.logicalAnd(this.handle, handleOf(other, 'other')));
  }

  logicalOr(other: Tensor): Tensor {
    return Tensor.wrap(op.logicalOr(this.handle, handleOf(other, 'other')));
  }

  logicalXor(other: Tensor): Tensor {
    return Tensor.wrap(op.logicalXor(this.handle, handleOf(other, 'other')));
  }

  logicalNot(): Tensor {
    return Tensor.wrap(op.logicalNot(this.handle));
  }

  // ---- linear algebra -----------------------------------------------------------------

  matmul(other: Tensor): Tensor {
    return Tensor.wrap(op.matmul(this.handle, handleOf(other, 'other')));
  }

  mm(other: Tensor): Tensor {
    return Tensor.wrap(op.mm(this.handle, handleOf(other, 'other')));
  }

  bmm(other: Tensor): Tensor {
    return Tensor.wrap(op.bmm(this.handle, handleOf(other, 'other')));
  }

  outer(other: Tensor): Tensor {
    return Tensor.wrap(op.outer(this.handle, handleOf(other, 'other')));
  }

  softmax(dim: number, dtype?: DType): Tensor {
    return Tensor.wrap(op.softmax(this.handle, dim, dtype === undefined ? undefined : dtypeCode(dtype)));
  }

  logSoftmax(dim: number, dtype?: DType): Tensor {
    return Tensor.wrap(op.logSoftmax(this.handle, dim, dtype === undefined ? undefined : dtypeCode(dtype)));
  }

  // ---- reductions ---------------------------------------------------------------------

  sum(dim?: number | readonly number[], keepdim = false, dtype?: DType): Tensor {
    const code = dtype === undefined ? undefined : dtypeCode(dtype);
    if (dim === undefined) return Tensor.wrap(op.sum(this.handle, code));
    return Tensor.wrap(op.sumDim(this.handle, dim, keepdim, code));
  }

  mean(dim?: number | readonly number[], keepdim = false, dtype?: DType): Tensor {
    const code = dtype === undefined ? undefined : dtypeCode(dtype);
    if (dim === undefined) return Tensor.wrap(op.mean(this.handle, code));
    return Tensor.wrap(op.meanDim(this.handle, dim, keepdim, code));
  }

  prod(dim?: number, keepdim = false): Tensor {
    if (dim === undefined) return Tensor.wrap(op.prod(this.handle));
    return Tensor.wrap(op.prodDim(this.handle, dim, keepdim));
  }

  /** The largest element; with dim, the largest along it and where it was. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesAndIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesAndIndices {
    if (dim === undefined) return Tensor.wrap(op.max(this.handle));
    return Tensor.#pair(op.maxDim(this.handle, dim, keepdim));
  }

  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesAndIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesAndIndices {
    if (dim === undefined) return Tensor.wrap(op.min(this.handle));
    return Tensor.#pair(op.minDim(this.handle, dim, keepdim));
  }

  argmax(dim?: number, keepdim = false): Tensor {
    return Tensor.wrap(op.argmax(this.handle, dim, keepdim));
  }

  argmin(dim?: number, keepdim = false): Tensor {
    return Tensor.wrap(op.argmin(this.handle, dim, keepdim));
  }

  all(dim?: number, keepdim = false): Tensor {
    if (dim === undefined) return Tensor.wrap(op.all(this.handle));
    return Tensor.wrap(op.allDim(this.handle, dim, keepdim));
  }

  any(dim?: number, keepdim = false): Tensor {
    if (dim === undefined) return Tensor.wrap(op.any(this.handle));
    return Tensor.wrap(op.anyDim(this.handle, dim, keepdim));
  }

  /** Variance with Bessel's correction by default (correction = 1), as PyTorch. */
  var(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return Tensor.wrap(op.var(this.handle, dim, options.correction ?? 1, options.keepdim ?? false));
  }

  std(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return Tensor.wrap(op.std(this.handle, dim, options.correction ?? 1, options.keepdim ?? false));
  }

  /** The p-norm over all elements or over dim (torch.linalg.vector_norm). */
  norm(p = 2, dim?: number | readonly number[], keepdim = false): Tensor {
    return Tensor.wrap(op.norm(this.handle, p, dim, keepdim));
  }

  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return Tensor.wrap(op.logsumexp(this.handle, dim, keepdim));
  }

  topk(k: number, dim = -1, largest = true, sorted = true): ValuesAndIndices {
    return Tensor.#pair(op.topk(this.handle, k, dim, largest, sorted));
  }

  sort(dim = -1, descending = false, stable = false): ValuesAndIndices {
    return Tensor.#pair(op.sort(this.handle, stable, dim, descending));
  }

  cumsum(dim: number, dtype?: DType): Tensor {
    return Tensor.wrap(op.cumsum(this.handle, dim, dtype === undefined ? undefined : dtypeCode(dtype)));
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
    return Tensor.wrap(op.pow_(this.handle, exponent));
  }

  neg_(): Tensor {
    return Tensor.wrap(op.neg_(this.handle));
  }

  exp_(): Tensor {
    return Tensor.wrap(op.exp_(this.handle));
  }

  sqrt_(): Tensor {
    return Tensor.wrap(op.sqrt_(this.handle));
  }

  relu_(): Tensor {
    return Tensor.wrap(op.relu_(this.handle));
  }

  clamp_(min?: number | null, max?: number | null): Tensor {
    return Tensor.wrap(op.clamp_(this.handle, min ?? undefined, max ?? undefined));
  }

  zero_(): Tensor {
    return Tensor.wrap(op.zero_(this.handle));
  }

  fill_(value: number | boolean): Tensor {
    return Tensor.wrap(op.fill_(this.handle, value));
  }

  copy_(src: Tensor): Tensor {
    return Tensor.wrap(op.copy_(this.handle, handleOf(src, 'src')));
  }

  normal_(mean = 0, std = 1): Tensor {
    return Tensor.wrap(op.normal_(this.handle, mean, std));
  }

  uniform_(from = 0, to = 1): Tensor {
    return Tensor.wrap(op.uniform_(this.handle, from, to));
  }

  bernoulli_(p = 0.5): Tensor {
    return Tensor.wrap(op.bernoulli_(this.handle, p));
  }

  maskedFill_(mask: Tensor, value: number | boolean): Tensor {
    return Tensor.wrap(op.maskedFill_(this.handle, handleOf(mask, 'mask'), value));
  }

  /** this += value * tensor1 * tensor2 */
  addcmul_(tensor1: Tensor, tensor2: Tensor, value = 1): Tensor {
    return Tensor.wrap(op.addcmul_(this.handle, handleOf(tensor1, 'tensor1'), handleOf(tensor2, 'tensor2'), value));
  }

  /** this += value * tensor1 / tensor2 */
  addcdiv_(tensor1: Tensor, tensor2: Tensor, value = 1): Tensor {
    return Tensor.wrap(op.addcdiv_(this.handle, handleOf(tensor1, 'tensor1'), handleOf(tensor2, 'tensor2'), value));
  }

  lerp_(end: Tensor, weight: number): Tensor {
    return Tensor.wrap(op.lerp_(this.handle, handleOf(end, 'end'), weight));
  }

  unsqueeze_(dim: number): Tensor {
    return Tensor.wrap(op.unsqueeze_(this.handle, dim));
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

type Op = (...args: unknown[]) => NativeValue;

function binary(self: Tensor, other: unknown, tensorOp: Op, scalarOp: Op, alpha?: number): Tensor {
  if (other instanceof Tensor) {
    return Tensor.wrap(alpha === undefined ? tensorOp(self.handle, other.handle) : tensorOp(self.handle, other.handle, alpha));
  }
  if (typeof other === 'number' || typeof other === 'boolean') {
    return Tensor.wrap(alpha === undefined ? scalarOp(self.handle, other) : scalarOp(self.handle, other, alpha));
  }
  throw new TypeError(`other must be a Tensor or a number, got ${other === null ? 'null' : typeof other}`);
}

const scalarTensor = aten('aten::scalar_tensor');

/** A zero-dimensional tensor of `value` with self's dtype and device. */
function scalarLike(self: Tensor, value: number): Tensor {
  return Tensor.wrap(scalarTensor(value, native.dtype(self.handle), undefined, native.device(self.handle)));
}
