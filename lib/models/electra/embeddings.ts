import { BertEmbeddings } from '../bert/embeddings.js';
import { expectElectraConfig, type ElectraConfig } from './config.js';

/** BERT's embeddings (word, position, token type, LayerNorm, dropout), which build at the config's embeddingSize. */
export class ElectraEmbeddings extends BertEmbeddings {
  constructor(config: ElectraConfig) {
    expectElectraConfig(config, 'new ElectraEmbeddings()');
    super(config);
  }
}
