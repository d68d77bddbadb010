// The attention arithmetic every encoder shares, independent of its projections' names:
// libtorch's fused kernel, or transformers' eager formula when the probabilities are wanted.
import { dropout, scaledDotProductAttention } from '../torch/functional.js';
import type { DType } from '../torch/dtype.js';
import type { Tensor } from '../torch/tensor.js';

/** torch.finfo(dtype).min: what masked attention scores become. */
export const DTYPE_MIN: Partial<Record<DType, number>> = {
  float32: -3.4028234663852886e38,
  float64: -1.7976931348623157e308,
  bfloat16: -3.3895313892515355e38,
  float16: -65504,
};

/** (batch, length) of 1/0 → additive (batch, 1, 1, length): 0 to attend, the dtype's minimum to mask. */
export function additiveAttentionMask(attentionMask: Tensor, dtype: DType): Tensor {
  return attentionMask
    .view(attentionMask.shape[0]!, 1, 1, -1)
    .to({ dtype })
    .neg()
    .add(1)
    .mul(DTYPE_MIN[dtype] ?? DTYPE_MIN.float32!);
}

export interface AttendOptions {
  /** Dropout on the attention probabilities (applied only when training). */
  dropoutP: number;
  training: boolean;
  implementation: 'sdpa' | 'eager';
  outputAttentions: boolean;
}

/**
 * softmax(q kᵀ / √d + mask) v over (batch, heads, length, headDim) inputs; the context comes
 * back as (batch, length, heads · headDim), and the probabilities when outputAttentions.
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, options: AttendOptions & { scale?: number }): { context: Tensor; probs: Tensor | null } {
  const [batch, , length, headDim] = q.shape as [number, number, number, number];
  const scale = options.scale ?? headDim ** -0.5;
  const p = options.training ? options.dropoutP : 0;
  // With dropout on CPU, SDPA takes its math path with ATen's serial bernoulli_; the explicit
  // path is the same arithmetic with the parallel dropout mask.
  const fused = options.implementation === 'sdpa' && !options.outputAttentions && !(p > 0 && q.device === 'cpu');
  let context: Tensor;
  let probs: Tensor | null = null;
  if (fused) {
    context = scaledDotProductAttention(q, k, v, { attnMask: mask, dropoutP: p, scale });
  } else {
    let scores = q.matmul(k.transpose(2, 3)).mul(scale);
    if (mask) scores = scores.add(mask);
    probs = scores.softmax(-1);
    context = dropout(probs, p, options.training).matmul(v);
  }
  return { context: context.transpose(1, 2).contiguous().view(batch, length, -1), probs: options.outputAttentions ? probs : null };
}
