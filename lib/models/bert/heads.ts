import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { zeros } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
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
 * The MLM head: transform, then the decoder. Tied (BERT's default), the decoder's weight is
 * the word embeddings and its bias is this head's `bias`; with tie_word_embeddings: false the
 * decoder has a weight and a bias of its own and `bias` goes unused, as in transformers 5.
 */
export class BertLMPredictionHead extends Module {
  readonly transform: BertPredictionHeadTransform;
  readonly decoder: Linear;
  readonly tiedToEmbeddings: boolean;

  constructor(config: BertConfig, wordEmbeddings: Parameter) {
    super();
    expectBertConfig(config, 'new BertLMPredictionHead()');
    const c = config.fields;
    this.transform = this.registerModule('transform', new BertPredictionHeadTransform(config));
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

  forward(hidden: Tensor): Tensor {
    return this.decoder.forward(this.transform.forward(hidden));
  }
}
