import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { expectDistilBertConfig, type DistilBertConfig } from './config.js';

/** lin1 → activation → lin2 → dropout: transformers' FFN. */
export class DistilBertFFN extends Module {
  readonly lin1: Linear;
  readonly lin2: Linear;
  readonly dropout: Dropout;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: DistilBertConfig) {
    super();
    expectDistilBertConfig(config, 'new DistilBertFFN()');
    const c = config.fields;
    this.lin1 = this.registerModule('lin1', new Linear(c.dim, c.hidden_dim));
    this.lin2 = this.registerModule('lin2', new Linear(c.hidden_dim, c.dim));
    this.dropout = this.registerModule('dropout', new Dropout(c.dropout));
    this.#act = activation(c.activation);
  }

  forward(hidden: Tensor): Tensor {
    return this.dropout.forward(this.lin2.forward(this.#act(this.lin1.forward(hidden))));
  }
}
