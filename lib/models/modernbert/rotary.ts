// Rotary position embeddings as transformers computes them: cos and sin in float32 from the
// positions and the layer type's base, applied to queries and keys in float32.
import { arange, cat, full } from '../../torch/creation.js';
import type { DType } from '../../torch/dtype.js';
import type { Tensor } from '../../torch/tensor.js';
import type { ModernBertConfig, LayerType } from './config.js';

export interface RotaryAngles {
  /** (batch or 1, length, head size), in the hidden states' dtype. */
  cos: Tensor;
  sin: Tensor;
}

/** cos and sin per layer type; nothing stored, so nothing to load, save or move between devices. */
export class ModernBertRotaryEmbedding {
  readonly #config: ModernBertConfig;

  constructor(config: ModernBertConfig) {
    this.#config = config;
  }

  /** positionIds: (batch or 1, length), integer. */
  forward(positionIds: Tensor, type: LayerType, dtype: DType): RotaryAngles {
    const dim = this.#config.headDim;
    const device = positionIds.device;
    const exponents = arange(0, dim, 2, { dtype: 'float32', device }).div(dim);
    const invFreq = full([dim / 2], this.#config.ropeTheta(type), { dtype: 'float32', device }).pow(exponents).reciprocal();
    const freqs = positionIds.float().unsqueeze(-1).mul(invFreq);
    const angles = cat([freqs, freqs], -1);
    return { cos: angles.cos().to({ dtype }), sin: angles.sin().to({ dtype }) };
  }
}

function rotateHalf(x: Tensor): Tensor {
  const half = x.shape[x.dim() - 1]! / 2;
  return cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
}

/** x (batch, heads, length, head size) rotated by its positions' angles. */
export function applyRotary(x: Tensor, angles: RotaryAngles): Tensor {
  const cos = angles.cos.unsqueeze(1);
  const sin = angles.sin.unsqueeze(1);
  const x32 = x.float();
  return x32.mul(cos).add(rotateHalf(x32).mul(sin)).to({ dtype: x.dtype });
}
