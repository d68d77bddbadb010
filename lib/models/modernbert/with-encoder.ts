import type { Embedding } from '../../nn/embedding.js';
import type { ModernBertConfig } from './config.js';
import { ModernBertModel } from './model.js';
import { ModernBertPredictionHead } from './prediction-head.js';
import { ModernBertPreTrainedModel } from './pretrained.js';

/** Every ModernBERT head: the encoder under 'model.', then the prediction head under 'head.'. */
export abstract class ModernBertWithEncoder extends ModernBertPreTrainedModel {
  readonly model: ModernBertModel;
  readonly head: ModernBertPredictionHead;

  constructor(config: ModernBertConfig) {
    super(config);
    this.model = this.registerModule('model', new ModernBertModel(config));
    this.head = this.registerModule('head', new ModernBertPredictionHead(config));
  }

  override get basePrefix(): string {
    return 'model.';
  }

  get wordEmbeddings(): Embedding {
    return this.model.embeddings.tokEmbeddings;
  }
}
