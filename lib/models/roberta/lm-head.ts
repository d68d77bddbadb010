import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import type { Parameter } from '../../nn/parameter.js';
import type { Tensor } from '../../torch/tensor.js';
import { TiedLmPredictionHead } from '../lm-head.js';
import { expectRobertaConfig, type RobertaConfig } from './config.js';

/**
 * RoBERTa's MLM head: dense → gelu (always, whatever hidden_act says) → layer_norm → decoder,
 * the decoder tied as BertLMPredictionHead's is (the word embeddings and this head's `bias`,
 * or its own weight and bias with tie_word_embeddings: false).
 */
export class RobertaLMHead extends TiedLmPredictionHead {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;

  constructor(config: RobertaConfig, wordEmbeddings: Parameter) {
    super();
    expectRobertaConfig(config, 'new RobertaLMHead()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.hidden_size));
    this.layerNorm = this.registerModule('layer_norm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
    this.addDecoder(c.hidden_size, c, wordEmbeddings);
  }

  forward(features: Tensor): Tensor {
    return this.decoder.forward(this.layerNorm.forward(this.dense.forward(features).gelu()));
  }
}
