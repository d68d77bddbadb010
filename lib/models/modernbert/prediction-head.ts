import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { expectModernBertConfig, type ModernBertConfig } from './config.js';

/** dense → classifier_activation → norm: before the MLM decoder and every classifier. */
export class ModernBertPredictionHead extends Module {
  readonly dense: Linear;
  readonly norm: LayerNorm;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: ModernBertConfig) {
    super();
    expectModernBertConfig(config, 'new ModernBertPredictionHead()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.hidden_size, { bias: c.classifier_bias }));
    this.#act = activation(c.classifier_activation);
    this.norm = this.registerModule('norm', new LayerNorm(c.hidden_size, { eps: c.norm_eps, bias: c.norm_bias }));
  }

  forward(hidden: Tensor): Tensor {
    return this.norm.forward(this.#act(this.dense.forward(hidden)));
  }
}
