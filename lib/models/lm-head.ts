// The vocabulary projection of the MLM heads that keep a bias of their own beside the decoder
// (BERT's cls.predictions, RoBERTa's lm_head, DeBERTa-v2's legacy head): tied, the decoder's
// weight is the word embeddings and its bias is the head's `bias`; with tie_word_embeddings
// false the decoder has a weight and a bias of its own and `bias` goes unused, as in
// transformers 5. A family's head adds its transform, then the decoder (in transformers' order).
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { Parameter } from '../nn/parameter.js';
import { zeros } from '../torch/creation.js';
import type { TiedLmHead } from './pretrained-model.js';

export abstract class TiedLmPredictionHead extends Module implements TiedLmHead {
  #decoder: Linear | undefined;
  #tied = true;

  /** Registers the decoder (inFeatures → vocab_size) and the head's bias, then ties them. */
  protected addDecoder(inFeatures: number, fields: { vocab_size: number; tie_word_embeddings: boolean }, wordEmbeddings: Parameter): void {
    this.#decoder = this.registerModule('decoder', new Linear(inFeatures, fields.vocab_size, { bias: false }));
    this.registerParameter('bias', new Parameter(zeros([fields.vocab_size])));
    this.#tied = fields.tie_word_embeddings;
    if (!this.#tied) this.#decoder.registerParameter('bias', new Parameter(zeros([fields.vocab_size])));
    this.tie(wordEmbeddings);
  }

  get decoder(): Linear {
    if (!this.#decoder) throw new Error(`${this.constructor.name}: the decoder is not built yet`);
    return this.#decoder;
  }

  get tiedToEmbeddings(): boolean {
    return this.#tied;
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
}
