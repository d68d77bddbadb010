import { Dropout } from '../../nn/activations.js';
import { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import { arange, zeros } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectBertConfig, type BertConfig } from './config.js';

/** Word + token type + position embeddings, then LayerNorm and dropout, at the config's embedding width (hidden_size, or ELECTRA's embedding_size). */
export class BertEmbeddings extends Module {
  readonly wordEmbeddings: Embedding;
  readonly positionEmbeddings: Embedding;
  readonly tokenTypeEmbeddings: Embedding;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;
  readonly positionIds: Tensor;
  readonly tokenTypeIds: Tensor;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertEmbeddings()');
    const c = config.fields;
    const width = config.embeddingSize;
    this.wordEmbeddings = this.registerModule('word_embeddings', new Embedding(c.vocab_size, width, { paddingIdx: c.pad_token_id }));
    this.positionEmbeddings = this.registerModule('position_embeddings', new Embedding(c.max_position_embeddings, width));
    this.tokenTypeEmbeddings = this.registerModule('token_type_embeddings', new Embedding(c.type_vocab_size, width));
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(width, { eps: c.layer_norm_eps }));
    this.dropout = this.registerModule('dropout', new Dropout(c.hidden_dropout_prob));
    this.positionIds = this.registerBuffer('position_ids', arange(c.max_position_embeddings).view(1, -1), { persistent: false });
    this.tokenTypeIds = this.registerBuffer('token_type_ids', zeros([1, c.max_position_embeddings], { dtype: 'int64' }), { persistent: false });
  }

  forward(inputIds: Tensor, tokenTypeIds?: Tensor | null, positionIds?: Tensor | null): Tensor {
    const [batch, length] = inputIds.shape as [number, number];
    const positions = positionIds ?? this.positionIds.slice(1, 0, length);
    const types = tokenTypeIds ?? this.tokenTypeIds.slice(1, 0, length).expand(batch, length);
    let embeddings = this.wordEmbeddings.forward(inputIds).add(this.tokenTypeEmbeddings.forward(types));
    embeddings = embeddings.add(this.positionEmbeddings.forward(positions));
    return this.dropout.forward(this.layerNorm.forward(embeddings));
  }
}
