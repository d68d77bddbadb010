// What every ELECTRA head model shares: the encoder kept under 'electra.', as transformers names it.
import type { Embedding } from '../../nn/embedding.js';
import type { ElectraConfig } from './config.js';
import { ElectraModel } from './model.js';
import { ElectraPreTrainedModel } from './pretrained.js';

export abstract class ElectraHeadModel extends ElectraPreTrainedModel {
  readonly electra: ElectraModel;

  constructor(config: ElectraConfig) {
    super(config);
    this.electra = this.registerModule('electra', new ElectraModel(config));
  }

  override get basePrefix(): string {
    return 'electra.';
  }

  get wordEmbeddings(): Embedding {
    return this.electra.embeddings.wordEmbeddings;
  }
}

