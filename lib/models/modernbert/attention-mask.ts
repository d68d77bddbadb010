// Which keys each query may see, per layer type, as booleans (true: attend). Global layers see
// every real token; local layers also only those within the sliding window, |i - j| <= window.
import { arange } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import type { LayerType } from './config.js';

export type LayerMasks = Record<LayerType, Tensor | null>;

/**
 * attentionMask: (batch, length) of 1/0, or null. Each mask broadcasts to (batch, heads,
 * length, length); null means every key.
 */
export function layerMasks(attentionMask: Tensor | null | undefined, length: number, slidingWindow: number, device: Tensor['device']): LayerMasks {
  const padding = attentionMask ? attentionMask.bool().view(attentionMask.shape[0]!, 1, 1, length) : null;
  // A window as wide as the sequence hides nothing.
  if (slidingWindow >= length - 1) return { full_attention: padding, sliding_attention: padding };
  const position = arange(length, undefined, 1, { dtype: 'int64', device });
  const window = position.unsqueeze(1).sub(position.unsqueeze(0)).abs().le(slidingWindow).view(1, 1, length, length);
  return { full_attention: padding, sliding_attention: padding ? padding.logicalAnd(window) : window };
}
