// ELECTRA's prediction heads: the discriminator's replaced-token logit, the generator's
// transform before the vocabulary, and the sentence classifier on the first token.
import { Dropout } from '../../nn/activations.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { expectElectraConfig, type ElectraConfig } from './config.js';

/** dense → hidden_act → dense_prediction: one logit per token, above 0 for "replaced". */
export class ElectraDiscriminatorPredictions extends Module {
  readonly dense: Linear;
  readonly densePrediction: Linear;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: ElectraConfig) {
    super();
    expectElectraConfig(config, 'new ElectraDiscriminatorPredictions()');
    const h = config.fields.hidden_size;
    this.dense = this.registerModule('dense', new Linear(h, h));
    this.#act = activation(config.fields.hidden_act);
    this.densePrediction = this.registerModule('dense_prediction', new Linear(h, 1));
  }

  /** (batch, length, hidden) → (batch, length). */
  forward(hidden: Tensor): Tensor {
    return this.densePrediction.forward(this.#act(this.dense.forward(hidden))).squeeze(-1);
  }
}

/** dense (hidden → embedding_size) → gelu → LayerNorm: the generator's input to the tied vocabulary projection. */
export class ElectraGeneratorPredictions extends Module {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  // gelu whatever hidden_act says, as transformers (and the ELECTRA code) have it.
  readonly #act = activation('gelu');

  constructor(config: ElectraConfig) {
    super();
    expectElectraConfig(config, 'new ElectraGeneratorPredictions()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.embedding_size));
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.embedding_size, { eps: c.layer_norm_eps }));
  }

  forward(hidden: Tensor): Tensor {
    return this.layerNorm.forward(this.#act(this.dense.forward(hidden)));
  }
}

/** The first token's state → dropout → dense → gelu → dropout → out_proj (ELECTRA uses gelu where BERT's pooler has tanh). */
export class ElectraClassificationHead extends Module {
  readonly dense: Linear;
  readonly dropout: Dropout;
  readonly outProj: Linear;
  readonly #act = activation('gelu');

  constructor(config: ElectraConfig) {
    super();
    expectElectraConfig(config, 'new ElectraClassificationHead()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.hidden_size));
    this.dropout = this.registerModule('dropout', new Dropout(c.classifier_dropout ?? c.hidden_dropout_prob));
    this.outProj = this.registerModule('out_proj', new Linear(c.hidden_size, config.numLabels));
  }

  /** (batch, length, hidden) → (batch, num_labels). */
  forward(hidden: Tensor): Tensor {
    const first = this.dropout.forward(hidden.select(1, 0));
    return this.outProj.forward(this.dropout.forward(this.#act(this.dense.forward(first))));
  }
}
