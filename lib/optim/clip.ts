import { native } from '../native.js';
import { boundedList } from '../torch/arrays.js';
import { describeValue } from '../torch/describe.js';
import { Tensor } from '../torch/tensor.js';

function gradHandles(parameters: Iterable<Tensor>): number[] {
  const grads: number[] = [];
  for (const p of boundedList(parameters, 'parameters')) {
    if (!(p instanceof Tensor)) throw new TypeError('clipGradNorm_(): parameters must be Tensors');
    const g = native.grad(p.handle);
    if (g !== null) grads.push(g);
  }
  return grads;
}

/**
 * Scales all gradients together so their total norm is at most maxNorm, as
 * torch.nn.utils.clip_grad_norm_; returns the total norm before clipping.
 */
export function clipGradNorm_(parameters: Iterable<Tensor>, maxNorm: number, options: { normType?: number; errorIfNonfinite?: boolean } = {}): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) throw new RangeError(`clipGradNorm_(): maxNorm must be a non-negative number, got ${describeValue(maxNorm)}`);
  const grads = gradHandles(parameters);
  try {
    return native.clipGradNorm(grads, maxNorm, options.normType ?? 2, options.errorIfNonfinite ?? false);
  } finally {
    for (const g of grads) native.dispose(g);
  }
}

/** The total norm of the parameters' gradients, without changing them. */
export function gradNorm(parameters: Iterable<Tensor>, normType = 2): number {
  const grads = gradHandles(parameters);
  try {
    return native.totalNorm(grads, normType);
  } finally {
    for (const g of grads) native.dispose(g);
  }
}
