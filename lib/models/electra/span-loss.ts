// transformers' extractive question answering loss.
import { crossEntropy } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';

/**
 * The mean of the start and end cross-entropies. Positions outside the sequence are clamped to
 * its length and ignored, as transformers does.
 */
export function spanLoss(startLogits: Tensor, endLogits: Tensor, startPositions: Tensor, endPositions: Tensor): Tensor {
  const ignored = startLogits.shape[1]!;
  const s = startPositions.view(-1).clamp(0, ignored);
  const e = endPositions.view(-1).clamp(0, ignored);
  return crossEntropy(startLogits, s, { ignoreIndex: ignored }).add(crossEntropy(endLogits, e, { ignoreIndex: ignored })).div(2);
}
