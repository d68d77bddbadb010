// What every DistilBERT model shares: the config class, the 'distilbert.' prefix of the heads,
// the encoder under 'transformer.', and sinusoidal position tables at initialisation.
import type { Embedding } from '../../nn/embedding.js';
import { PreTrainedModel } from '../pretrained-model.js';
import { DistilBertConfig } from './config.js';
import type { DistilBertEmbeddings } from './embeddings.js';
import { sinusoidalPositionTable } from './sinusoidal.js';

export abstract class DistilBertPreTrainedModel extends PreTrainedModel<DistilBertConfig> {
  static readonly configClass: typeof DistilBertConfig = DistilBertConfig;
  static readonly baseModelPrefix: string = 'distilbert';
  static readonly familyName: string = 'DistilBERT';

  /** The embeddings of the base model, wherever this model keeps it. */
  abstract get embeddings(): DistilBertEmbeddings;

  get wordEmbeddings(): Embedding {
    return this.embeddings.wordEmbeddings;
  }

  protected override get encoderKeyPrefix(): string {
    return `${this.basePrefix}transformer.`;
  }

  /** transformers 5 copies the sin/cos table into the (still trainable) position embeddings. */
  protected override initHeads(): void {
    const c = this.config.fields;
    if (!c.sinusoidal_pos_embds) return;
    const table = sinusoidalPositionTable(c.max_position_embeddings, c.dim);
    this.embeddings.positionEmbeddings.weight.copy_(table);
    table.dispose();
  }
}
