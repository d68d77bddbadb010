import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { ModernBertAttention } from './attention.js';
import { expectModernBertConfig, type LayerType, type ModernBertConfig } from './config.js';
import { ModernBertMLP } from './mlp.js';
import type { RotaryAngles } from './rotary.js';

/** Pre-norm: h + attn(norm(h)), then h + mlp(norm(h)). Layer 0 reads the embeddings' norm directly. */
export class ModernBertEncoderLayer extends Module {
  /** null for layer 0 (transformers' nn.Identity). */
  readonly attnNorm: LayerNorm | null;
  readonly attn: ModernBertAttention;
  readonly mlpNorm: LayerNorm;
  readonly mlp: ModernBertMLP;
  readonly attentionType: LayerType;

  constructor(config: ModernBertConfig, layerIndex: number) {
    super();
    expectModernBertConfig(config, 'new ModernBertEncoderLayer()');
    const c = config.fields;
    const norm = () => new LayerNorm(c.hidden_size, { eps: c.norm_eps, bias: c.norm_bias });
    this.attnNorm = layerIndex === 0 ? null : this.registerModule('attn_norm', norm());
    this.attn = this.registerModule('attn', new ModernBertAttention(config, layerIndex));
    this.mlpNorm = this.registerModule('mlp_norm', norm());
    this.mlp = this.registerModule('mlp', new ModernBertMLP(config));
    this.attentionType = this.attn.attentionType;
  }

  forward(hidden: Tensor, angles: RotaryAngles, allowed: Tensor | null, outputAttentions = false): { hidden: Tensor; probs: Tensor | null } {
    const { output, probs } = this.attn.forward(this.attnNorm ? this.attnNorm.forward(hidden) : hidden, angles, allowed, outputAttentions);
    const attended = hidden.add(output);
    return { hidden: attended.add(this.mlp.forward(this.mlpNorm.forward(attended))), probs };
  }
}
