// What BERT's models with an MLM head share: the tied decoder, its bias and resizing.
import type { Embedding } from '../../nn/embedding.js';
import { zeros_ } from '../../nn/init.js';
import type { BertLMPredictionHead } from './heads.js';
import type { BertModel } from './model.js';
import { BertPreTrainedModel } from './pretrained.js';

export { mlmHead, type MlmResult } from '../masked-lm.js';

/**
 * A BERT with an MLM head (BertForPreTraining, BertForMaskedLM): the encoder under 'bert.',
 * the decoder tied to the word embeddings (unless tie_word_embeddings is false), and the head
 * following vocabulary resizes.
 */
export abstract class BertWithMlmHead extends BertPreTrainedModel {
  abstract readonly bert: BertModel;
  abstract get lmHead(): BertLMPredictionHead;

  override get basePrefix(): string {
    return 'bert.';
  }

  /** transformers 4 saved an untied head's bias only as cls.predictions.bias. */
  override get checkpointFallbacks(): Record<string, string> {
    return this.lmHead.tiedToEmbeddings ? {} : { 'cls.predictions.decoder.bias': 'cls.predictions.bias' };
  }

  override get tiedWeights(): Record<string, string> {
    if (!this.lmHead.tiedToEmbeddings) return {};
    return { 'cls.predictions.decoder.weight': 'bert.embeddings.word_embeddings.weight', 'cls.predictions.decoder.bias': 'cls.predictions.bias' };
  }

  get wordEmbeddings(): Embedding {
    return this.bert.embeddings.wordEmbeddings;
  }

  protected override initHeads(): void {
    zeros_(this.lmHead.bias);
  }

  protected override retie(): void {
    this.lmHead.tie(this.wordEmbeddings.weight);
  }

  protected override resizeHeads(_old: number, n: number, meanResizing: boolean): void {
    this.resizeTiedLmHead(this.lmHead, n, meanResizing);
  }
}
