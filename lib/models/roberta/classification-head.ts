import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectRobertaConfig, type RobertaConfig } from './config.js';

/**
 * RoBERTa's sentence classifier, on the first token (<s>) of the last hidden state rather
 * than a pooler: dropout → dense → tanh → dropout → out_proj.
 */
export class RobertaClassificationHead extends Module {
  readonly dense: Linear;
  readonly dropout: Dropout;
  readonly outProj: Linear;

  constructor(config: RobertaConfig) {
    super();
    expectRobertaConfig(config, 'new RobertaClassificationHead()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.hidden_size));
    this.dropout = this.registerModule('dropout', new Dropout(c.classifier_dropout ?? c.hidden_dropout_prob));
    this.outProj = this.registerModule('out_proj', new Linear(c.hidden_size, config.numLabels));
  }

  forward(features: Tensor): Tensor {
    const first = this.dropout.forward(features.select(1, 0));
    return this.outProj.forward(this.dropout.forward(this.dense.forward(first).tanh()));
  }
}
