// Stateless neural-network primitives, each one libtorch kernel (with its own backward).
import { checkDenseArray } from './arrays.js';
import { describeValue } from './describe.js';
import { dtypeCode, type DType } from './dtype.js';
import { native } from '../native.js';
import { atenOps, callOp } from './ops.js';
import { Tensor, handleOf } from './tensor.js';

const op = atenOps({
  embedding: 'aten::embedding',
  layerNorm: 'aten::layer_norm',
  dropout: 'aten::dropout',
  crossEntropy: 'aten::cross_entropy_loss',
  sdpa: 'aten::scaled_dot_product_attention',
  linear: 'aten::linear',
  softmax: 'aten::softmax.int',
  logSoftmax: 'aten::log_softmax.int',
  gelu: 'aten::gelu',
  mseLoss: 'aten::mse_loss',
  bceWithLogits: 'aten::binary_cross_entropy_with_logits',
  nllLoss: 'aten::nll_loss_nd',
  oneHot: 'aten::one_hot',
});

export type Reduction = 'none' | 'mean' | 'sum';
const REDUCTIONS: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };

function reductionCode(reduction: Reduction | undefined): number {
  const key = reduction ?? 'mean';
  // A string key only: indexing with an object would call its toString() (printing a Tensor).
  const code = typeof key === 'string' && Object.hasOwn(REDUCTIONS, key) ? REDUCTIONS[key] : undefined;
  if (code === undefined) throw new TypeError(`reduction must be 'none', 'mean' or 'sum'; got ${describeValue(reduction)}`);
  return code;
}

function optionalHandle(t: Tensor | null | undefined, what: string): number | undefined {
  return t === undefined || t === null ? undefined : handleOf(t, what);
}

/** Rows of weight picked by indices; the paddingIdx row gets no gradient. */
export function embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  return Tensor.wrap(callOp(op.embedding, handleOf(weight, 'weight'), handleOf(input, 'input'), paddingIdx ?? -1));
}

export function layerNorm(input: Tensor, normalizedShape: readonly number[] | number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  if (Array.isArray(normalizedShape)) checkDenseArray(normalizedShape, 'layerNorm(): normalizedShape');
  return Tensor.wrap(
    callOp(op.layerNorm, handleOf(input, 'input'), normalizedShape, optionalHandle(weight, 'weight'), optionalHandle(bias, 'bias'), eps),
  );
}

/** Zeroes elements with probability p and scales the rest by 1/(1-p), only when training. */
export function dropout(input: Tensor, p = 0.5, training = true): Tensor {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout(): p must be in [0, 1], got ${describeValue(p)}`);
  // CPU: a mask from a counter-based hash, made in parallel (native/torch/fast_dropout.h);
  // ATen's serial bernoulli_ cost 9% of a BERT-base step. CUDA and others: aten::dropout.
  if (input.device === 'cpu') return Tensor.wrap(native.fastDropout(handleOf(input, 'input'), p, training));
  return Tensor.wrap(callOp(op.dropout, handleOf(input, 'input'), p, training));
}

export interface CrossEntropyOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
  labelSmoothing?: number;
}

/** Cross entropy from logits (N, C, ...) to class indices (N, ...) or class probabilities. */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  return Tensor.wrap(
    callOp(op.crossEntropy, 
      handleOf(input, 'input'),
      handleOf(target, 'target'),
      optionalHandle(options.weight, 'weight'),
      reductionCode(options.reduction),
      options.ignoreIndex ?? -100,
      options.labelSmoothing ?? 0,
    ),
  );
}

export interface AttentionOptions {
  attnMask?: Tensor | null;
  dropoutP?: number;
  isCausal?: boolean;
  scale?: number;
}

/**
 * softmax(q kᵀ · scale + mask) v with libtorch's fused kernels (flash, memory-efficient or
 * math). A boolean mask keeps positions where it is true; a float mask is added.
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options: AttentionOptions = {}): Tensor {
  return Tensor.wrap(
    callOp(op.sdpa, 
      handleOf(query, 'query'),
      handleOf(key, 'key'),
      handleOf(value, 'value'),
      optionalHandle(options.attnMask, 'attnMask'),
      options.dropoutP ?? 0,
      options.isCausal ?? false,
      options.scale,
    ),
  );
}

/** x Wᵀ + b */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return Tensor.wrap(callOp(op.linear, handleOf(input, 'input'), handleOf(weight, 'weight'), optionalHandle(bias, 'bias')));
}

export function softmax(input: Tensor, dim: number, dtype?: DType): Tensor {
  return Tensor.wrap(callOp(op.softmax, handleOf(input, 'input'), dim, dtype === undefined ? undefined : dtypeCode(dtype)));
}

export function logSoftmax(input: Tensor, dim: number, dtype?: DType): Tensor {
  return Tensor.wrap(callOp(op.logSoftmax, handleOf(input, 'input'), dim, dtype === undefined ? undefined : dtypeCode(dtype)));
}

export function gelu(input: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  return Tensor.wrap(callOp(op.gelu, handleOf(input, 'input'), approximate));
}

export function relu(input: Tensor): Tensor {
  return input.relu();
}

export function tanh(input: Tensor): Tensor {
  return input.tanh();
}

export function mseLoss(input: Tensor, target: Tensor, reduction?: Reduction): Tensor {
  return Tensor.wrap(callOp(op.mseLoss, handleOf(input, 'input'), handleOf(target, 'target'), reductionCode(reduction)));
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  return Tensor.wrap(
    callOp(op.bceWithLogits, 
      handleOf(input, 'input'),
      handleOf(target, 'target'),
      optionalHandle(options.weight, 'weight'),
      optionalHandle(options.posWeight, 'posWeight'),
      reductionCode(options.reduction),
    ),
  );
}

export function nllLoss(input: Tensor, target: Tensor, options: { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction } = {}): Tensor {
  return Tensor.wrap(
    callOp(op.nllLoss, handleOf(input, 'input'), handleOf(target, 'target'), optionalHandle(options.weight, 'weight'), reductionCode(options.reduction), options.ignoreIndex ?? -100),
  );
}

export function oneHot(input: Tensor, numClasses = -1): Tensor {
  return Tensor.wrap(callOp(op.oneHot, handleOf(input, 'input'), numClasses));
}
