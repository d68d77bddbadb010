// RoBERTa's embeddings are BERT's with fairseq's positions: numbered from pad_token_id + 1 over
// the real tokens, padding at pad_token_id, whose position embedding is a padding row.
import { Embedding } from '../../nn/embedding.js';
import type { Tensor } from '../../torch/tensor.js';
import { BertEmbeddings } from '../bert/embeddings.js';
import { expectRobertaConfig, type RobertaConfig } from './config.js';

/**
 * Position ids from token ids, as transformers' create_position_ids_from_input_ids: the running
 * count of non-padding tokens, times the mask, plus the padding id (so padding stays at it).
 */
export function positionIdsFromInputIds(inputIds: Tensor, paddingIdx: number): Tensor {
  const mask = inputIds.ne(paddingIdx).long();
  return mask.cumsum(1).mul(mask).add(paddingIdx);
}

export class RobertaEmbeddings extends BertEmbeddings {
  override readonly positionEmbeddings: Embedding;
  readonly paddingIdx: number;

  constructor(config: RobertaConfig) {
    expectRobertaConfig(config, 'new RobertaEmbeddings()');
    super(config);
    const c = config.fields;
    this.paddingIdx = c.pad_token_id!;
    // Replaces BERT's position embeddings (registered under the same name, in the same place).
    this.positionEmbeddings = this.registerModule('position_embeddings', new Embedding(c.max_position_embeddings, c.hidden_size, { paddingIdx: this.paddingIdx }));
  }

  override forward(inputIds: Tensor, tokenTypeIds?: Tensor | null, positionIds?: Tensor | null): Tensor {
    return super.forward(inputIds, tokenTypeIds, positionIds ?? positionIdsFromInputIds(inputIds, this.paddingIdx));
  }
}
