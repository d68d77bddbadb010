import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { expectModernBertConfig, type ModernBertConfig } from './config.js';

/** The gated feed-forward block (GeGLU with gelu): Wi gives input and gate, Wo(act(input) · gate). */
export class ModernBertMLP extends Module {
  readonly Wi: Linear;
  readonly drop: Dropout;
  readonly Wo: Linear;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: ModernBertConfig) {
    super();
    expectModernBertConfig(config, 'new ModernBertMLP()');
    const c = config.fields;
    this.Wi = this.registerModule('Wi', new Linear(c.hidden_size, 2 * c.intermediate_size, { bias: c.mlp_bias }));
    this.#act = activation(c.hidden_activation);
    this.drop = this.registerModule('drop', new Dropout(c.mlp_dropout));
    this.Wo = this.registerModule('Wo', new Linear(c.intermediate_size, c.hidden_size, { bias: c.mlp_bias }));
  }

  forward(hidden: Tensor): Tensor {
    const [input, gate] = this.Wi.forward(hidden).chunk(2, -1) as [Tensor, Tensor];
    return this.Wo.forward(this.drop.forward(this.#act(input).mul(gate)));
  }
}
