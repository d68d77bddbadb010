import { ModuleList } from '../../nn/containers.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import { tidy } from '../../torch/scope.js';
import type { Tensor } from '../../torch/tensor.js';
import { DistilBertSelfAttention } from './attention.js';
import { expectDistilBertConfig, LAYER_NORM_EPS, type DistilBertConfig } from './config.js';
import { DistilBertFFN } from './ffn.js';

/** Attention, then the feed-forward block, each followed by its residual and LayerNorm (post-LN). */
export class DistilBertTransformerBlock extends Module {
  readonly attention: DistilBertSelfAttention;
  readonly saLayerNorm: LayerNorm;
  readonly ffn: DistilBertFFN;
  readonly outputLayerNorm: LayerNorm;

  constructor(config: DistilBertConfig) {
    super();
    expectDistilBertConfig(config, 'new DistilBertTransformerBlock()');
    const dim = config.fields.dim;
    this.attention = this.registerModule('attention', new DistilBertSelfAttention(config));
    this.saLayerNorm = this.registerModule('sa_layer_norm', new LayerNorm(dim, { eps: LAYER_NORM_EPS }));
    this.ffn = this.registerModule('ffn', new DistilBertFFN(config));
    this.outputLayerNorm = this.registerModule('output_layer_norm', new LayerNorm(dim, { eps: LAYER_NORM_EPS }));
  }

  forward(hidden: Tensor, attentionMask: Tensor | null, outputAttentions = false): { hidden: Tensor; probs: Tensor | null } {
    const { output, probs } = this.attention.forward(hidden, attentionMask, outputAttentions);
    const attended = this.saLayerNorm.forward(output.add(hidden));
    return { hidden: this.outputLayerNorm.forward(this.ffn.forward(attended).add(attended)), probs };
  }
}

/** The stack of blocks: transformers' Transformer (state-dict prefix 'transformer.layer.N.'). */
export class DistilBertTransformer extends Module {
  readonly layer: ModuleList<DistilBertTransformerBlock>;

  constructor(config: DistilBertConfig) {
    super();
    expectDistilBertConfig(config, 'new DistilBertTransformer()');
    this.layer = this.registerModule('layer', new ModuleList(Array.from({ length: config.fields.n_layers }, () => new DistilBertTransformerBlock(config))));
  }

  forward(hidden: Tensor, attentionMask: Tensor | null, options: { outputHiddenStates?: boolean; outputAttentions?: boolean } = {}): { lastHiddenState: Tensor; hiddenStates?: Tensor[]; attentions?: Tensor[] } {
    const hiddenStates: Tensor[] = [hidden];
    const attentions: Tensor[] = [];
    let h = hidden;
    for (const block of this.layer) {
      // A scope per block frees its temporaries now (autograd keeps what backward needs).
      const out = tidy(() => block.forward(h, attentionMask, options.outputAttentions));
      h = out.hidden;
      hiddenStates.push(h);
      if (out.probs) attentions.push(out.probs);
    }
    return {
      lastHiddenState: h,
      ...(options.outputHiddenStates ? { hiddenStates } : {}),
      ...(options.outputAttentions ? { attentions } : {}),
    };
  }
}
