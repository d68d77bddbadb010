import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { dropout, scaledDotProductAttention } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectModernBertConfig, type LayerType, type ModernBertConfig } from './config.js';
import { applyRotary, type RotaryAngles } from './rotary.js';

/** The additive value transformers' eager masks use: the dtype's lowest finite number. */
const DTYPE_MIN: Record<string, number> = {
  float32: -3.4028234663852886e38,
  float64: -1.7976931348623157e308,
  bfloat16: -3.3895313892515355e38,
  float16: -65504,
};

/**
 * Self-attention with a fused query/key/value projection and rotary positions. The 'sdpa'
 * path is libtorch's fused kernel; the 'eager' path is transformers' explicit formula and
 * also returns the attention probabilities.
 */
export class ModernBertAttention extends Module {
  readonly numHeads: number;
  readonly headDim: number;
  readonly Wqkv: Linear;
  readonly Wo: Linear;
  readonly outDrop: Dropout;
  readonly dropoutP: number;
  readonly implementation: 'sdpa' | 'eager';
  readonly attentionType: LayerType;

  constructor(config: ModernBertConfig, layerIndex: number) {
    super();
    expectModernBertConfig(config, 'new ModernBertAttention()');
    const c = config.fields;
    this.numHeads = c.num_attention_heads;
    this.headDim = config.headDim;
    this.attentionType = config.layerTypes[layerIndex]!;
    this.Wqkv = this.registerModule('Wqkv', new Linear(c.hidden_size, 3 * c.hidden_size, { bias: c.attention_bias }));
    this.Wo = this.registerModule('Wo', new Linear(c.hidden_size, c.hidden_size, { bias: c.attention_bias }));
    this.outDrop = this.registerModule('out_drop', new Dropout(c.attention_dropout));
    this.dropoutP = c.attention_dropout;
    this.implementation = c.attn_implementation;
  }

  /** allowed: which keys each query sees (see layerMasks), or null for all. */
  forward(hidden: Tensor, angles: RotaryAngles, allowed: Tensor | null, outputAttentions = false): { output: Tensor; probs: Tensor | null } {
    const [batch, length] = hidden.shape as [number, number];
    const qkv = this.Wqkv.forward(hidden).view(batch, length, 3, this.numHeads, this.headDim);
    const q = applyRotary(qkv.select(2, 0).transpose(1, 2), angles);
    const k = applyRotary(qkv.select(2, 1).transpose(1, 2), angles);
    const v = qkv.select(2, 2).transpose(1, 2);
    const p = this.training ? this.dropoutP : 0;
    const scale = this.headDim ** -0.5;
    let context: Tensor;
    let probs: Tensor | null = null;
    // With dropout on CPU, SDPA takes its math path with ATen's serial bernoulli_; the explicit
    // path below is the same arithmetic with the parallel dropout mask.
    if (this.implementation === 'sdpa' && !outputAttentions && !(p > 0 && hidden.device === 'cpu')) {
      context = scaledDotProductAttention(q, k, v, { attnMask: allowed, dropoutP: p, scale });
    } else {
      let scores = q.matmul(k.transpose(2, 3)).mul(scale);
      if (allowed) scores = scores.maskedFill(allowed.logicalNot(), DTYPE_MIN[scores.dtype] ?? DTYPE_MIN.float32!);
      probs = scores.softmax(-1, 'float32').to({ dtype: q.dtype });
      // A padding query whose window holds only padding sees no key: the fused kernel gives it
      // zeros, transformers' eager formula uniform weights; each path keeps its own numbers.
      if (allowed && this.implementation === 'sdpa') probs = probs.mul(allowed.any(-1, true));
      context = dropout(probs, p, this.training).matmul(v);
    }
    const merged = context.transpose(1, 2).contiguous().view(batch, length, -1);
    return { output: this.outDrop.forward(this.Wo.forward(merged)), probs: outputAttentions ? probs : null };
  }
}
