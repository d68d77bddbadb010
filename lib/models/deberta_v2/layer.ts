// A DeBERTa-v2 layer: disentangled attention, then BERT's feed-forward block, each with its
// residual and LayerNorm.
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { BertIntermediate } from '../bert/layer.js';
import { BertOutput } from '../bert/output.js';
import { DebertaV2Attention } from './attention.js';
import { bertBlockConfig } from './bert-blocks.js';
import { expectDebertaV2Config, type DebertaV2Config } from './config.js';

/** dense → hidden_act: BERT's. */
export class DebertaV2Intermediate extends BertIntermediate {
  constructor(config: DebertaV2Config) {
    super(bertBlockConfig((expectDebertaV2Config(config, 'new DebertaV2Intermediate()'), config)));
  }
}

/** dense (intermediate → hidden) → dropout → LayerNorm(· + input): BERT's. */
export class DebertaV2Output extends BertOutput {
  constructor(config: DebertaV2Config) {
    super(bertBlockConfig((expectDebertaV2Config(config, 'new DebertaV2Output()'), config)), config.fields.intermediate_size);
  }
}

export class DebertaV2Layer extends Module {
  readonly attention: DebertaV2Attention;
  readonly intermediate: DebertaV2Intermediate;
  readonly output: DebertaV2Output;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new DebertaV2Layer()');
    this.attention = this.registerModule('attention', new DebertaV2Attention(config));
    this.intermediate = this.registerModule('intermediate', new DebertaV2Intermediate(config));
    this.output = this.registerModule('output', new DebertaV2Output(config));
  }

  forward(hidden: Tensor, attentionMask: Tensor, relativePos: Tensor | null, relEmbeddings: Tensor | null, outputAttentions = false): { hidden: Tensor; probs: Tensor | null } {
    const { output: attended, probs } = this.attention.forward(hidden, attentionMask, relativePos, relEmbeddings, outputAttentions);
    return { hidden: this.output.forward(this.intermediate.forward(attended), attended), probs };
  }
}
