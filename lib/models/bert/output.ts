import { Dropout } from '../../nn/activations.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectBertConfig, type BertConfig } from './config.js';

/**
 * dense → dropout → LayerNorm(· + input): BERT's post-LN residual, after the attention
 * (input width hidden_size, as BertSelfOutput) and after the feed-forward block
 * (input width intermediate_size).
 */
export class BertOutput extends Module {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;

  constructor(config: BertConfig, inFeatures: number) {
    super();
    expectBertConfig(config, 'new BertOutput()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(inFeatures, c.hidden_size));
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
    this.dropout = this.registerModule('dropout', new Dropout(c.hidden_dropout_prob));
  }

  forward(hidden: Tensor, input: Tensor): Tensor {
    return this.layerNorm.forward(this.dropout.forward(this.dense.forward(hidden)).add(input));
  }
}
