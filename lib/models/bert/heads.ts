import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Parameter } from '../../nn/parameter.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { TiedLmPredictionHead } from '../lm-head.js';
import { expectBertConfig, type BertConfig } from './config.js';

/** dense → activation → LayerNorm, before the vocabulary projection. */
export class BertPredictionHeadTransform extends Module {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertPredictionHeadTransform()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.hidden_size));
    this.#act = activation(c.hidden_act);
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
  }

  forward(hidden: Tensor): Tensor {
    return this.layerNorm.forward(this.#act(this.dense.forward(hidden)));
  }
}

/**
 * The MLM head: transform, then the decoder, tied to the word embeddings with this head's
 * `bias` (BERT's default) or, with tie_word_embeddings: false, a weight and bias of its own.
 */
export class BertLMPredictionHead extends TiedLmPredictionHead {
  readonly transform: BertPredictionHeadTransform;

  constructor(config: BertConfig, wordEmbeddings: Parameter) {
    super();
    expectBertConfig(config, 'new BertLMPredictionHead()');
    this.transform = this.registerModule('transform', new BertPredictionHeadTransform(config));
    this.addDecoder(config.fields.hidden_size, config.fields, wordEmbeddings);
  }

  forward(hidden: Tensor): Tensor {
    return this.decoder.forward(this.transform.forward(hidden));
  }
}
