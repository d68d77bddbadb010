// What BERT's models with an MLM head share: the encoder under 'bert.' and the head under
// 'cls.predictions', whose tying, bias and resizing are the core's (PreTrainedModel.tiedLmHead).
import type { Embedding } from '../../nn/embedding.js';
import type { TiedLmHead } from '../pretrained-model.js';
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

  get wordEmbeddings(): Embedding {
    return this.bert.embeddings.wordEmbeddings;
  }

  protected override get tiedLmHead(): { head: TiedLmHead; key: string } {
    return { head: this.lmHead, key: 'cls.predictions' };
  }
}
