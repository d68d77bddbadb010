import { BertEmbeddings } from '../bert/embeddings.js';
import { expectElectraConfig, type ElectraConfig } from './config.js';

/**
 * The config as BertEmbeddings reads it, with hidden_size set to embedding_size: BertEmbeddings
 * builds its modules at hidden_size, and ELECTRA's embeddings are embedding_size wide. A view
 * (its prototype is the config itself), not a new config: embedding_size need not divide into
 * the attention heads, which a config's own checks would demand of a hidden_size.
 */
function atEmbeddingWidth(config: ElectraConfig): ElectraConfig {
  expectElectraConfig(config, 'new ElectraEmbeddings()');
  const fields = Object.freeze({ ...config.fields, hidden_size: config.embeddingSize });
  return Object.create(config, { fields: { value: fields } }) as ElectraConfig;
}

/** BERT's embeddings (word, position, token type, LayerNorm, dropout) at embedding_size. */
export class ElectraEmbeddings extends BertEmbeddings {
  constructor(config: ElectraConfig) {
    super(atEmbeddingWidth(config));
  }
}
