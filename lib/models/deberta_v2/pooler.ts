import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { expectDebertaV2Config, type DebertaV2Config } from './config.js';

/** transformers' ContextPooler: pooler_hidden_act(dense(dropout(h[:, 0]))), for sequence classification. */
export class ContextPooler extends Module {
  readonly dense: Linear;
  readonly dropout: Dropout;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new ContextPooler()');
    const c = config.fields;
    const width = c.pooler_hidden_size ?? c.hidden_size;
    this.dense = this.registerModule('dense', new Linear(width, width));
    this.dropout = this.registerModule('dropout', new Dropout(c.pooler_dropout));
    this.#act = activation(c.pooler_hidden_act);
  }

  forward(hidden: Tensor): Tensor {
    return this.#act(this.dense.forward(this.dropout.forward(hidden.select(1, 0))));
  }
}
