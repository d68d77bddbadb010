import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { zeros } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectRobertaConfig, type RobertaConfig } from './config.js';

/**
 * RoBERTa's MLM head: dense → gelu (always, whatever hidden_act says) → layer_norm → decoder.
 * Tied (the default), the decoder's weight is the word embeddings and its bias is this head's
 * `bias`; with tie_word_embeddings: false the decoder has a weight and a bias of its own, as
 * BertLMPredictionHead does and transformers 5 does.
 */
export class RobertaLMHead extends Module {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  readonly decoder: Linear;
  readonly tiedToEmbeddings: boolean;

  constructor(config: RobertaConfig, wordEmbeddings: Parameter) {
    super();
    expectRobertaConfig(config, 'new RobertaLMHead()');
    const c = config.fields;
    this.dense = this.registerModule('dense', new Linear(c.hidden_size, c.hidden_size));
    this.layerNorm = this.registerModule('layer_norm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
    this.decoder = this.registerModule('decoder', new Linear(c.hidden_size, c.vocab_size, { bias: false }));
    this.registerParameter('bias', new Parameter(zeros([c.vocab_size])));
    this.tiedToEmbeddings = c.tie_word_embeddings;
    if (!this.tiedToEmbeddings) this.decoder.registerParameter('bias', new Parameter(zeros([c.vocab_size])));
    this.tie(wordEmbeddings);
  }

  get bias(): Parameter {
    return this.parameter('bias')!;
  }

  /** Ties the decoder's weight to the embeddings and its bias to `bias` (unless untied). */
  tie(wordEmbeddings: Parameter): void {
    if (!this.tiedToEmbeddings) return;
    this.decoder.registerParameter('weight', wordEmbeddings);
    this.decoder.registerParameter('bias', this.bias);
  }

  /** Replaces the bias (vocabulary resizing) and re-ties. */
  setBias(bias: Parameter, wordEmbeddings: Parameter): void {
    this.registerParameter('bias', bias);
    this.tie(wordEmbeddings);
  }

  /** Replaces an untied decoder's weight and bias (vocabulary resizing). */
  setDecoder(weight: Parameter, bias: Parameter): void {
    if (this.tiedToEmbeddings) throw new Error('the decoder is tied to the word embeddings: resize those instead');
    this.decoder.registerParameter('weight', weight);
    this.decoder.registerParameter('bias', bias);
    (this.decoder as { outFeatures: number }).outFeatures = weight.shape[0]!;
  }

  forward(features: Tensor): Tensor {
    return this.decoder.forward(this.layerNorm.forward(this.dense.forward(features).gelu()));
  }
}
