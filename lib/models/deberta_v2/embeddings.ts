// Word embeddings, plus absolute positions only when position_biased_input (DeBERTa-v3 has
// none) and token types only when type_vocab_size > 0; projected to hidden_size by embed_proj
// when embedding_size differs; LayerNorm, then padding positions zeroed, then dropout.
import { Dropout } from '../../nn/activations.js';
import { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { arange, zeros } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectDebertaV2Config, type DebertaV2Config } from './config.js';

export class DebertaV2Embeddings extends Module {
  readonly wordEmbeddings: Embedding;
  readonly positionEmbeddings: Embedding | null = null;
  readonly tokenTypeEmbeddings: Embedding | null = null;
  readonly embedProj: Linear | null = null;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;
  readonly positionIds: Tensor;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new DebertaV2Embeddings()');
    const c = config.fields;
    const width = config.embeddingSize;
    this.wordEmbeddings = this.registerModule('word_embeddings', new Embedding(c.vocab_size, width, { paddingIdx: c.pad_token_id }));
    if (c.position_biased_input) this.positionEmbeddings = this.registerModule('position_embeddings', new Embedding(c.max_position_embeddings, width));
    if (c.type_vocab_size > 0) this.tokenTypeEmbeddings = this.registerModule('token_type_embeddings', new Embedding(c.type_vocab_size, width));
    if (width !== c.hidden_size) this.embedProj = this.registerModule('embed_proj', new Linear(width, c.hidden_size, { bias: false }));
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
    this.dropout = this.registerModule('dropout', new Dropout(c.hidden_dropout_prob));
    this.positionIds = this.registerBuffer('position_ids', arange(c.max_position_embeddings).view(1, -1), { persistent: false });
  }

  /** mask: (batch, length) 1 for tokens, 0 for padding, whose embeddings become zero. */
  forward(inputIds: Tensor, mask: Tensor, tokenTypeIds?: Tensor | null, positionIds?: Tensor | null): Tensor {
    const [batch, length] = inputIds.shape as [number, number];
    let embeddings = this.wordEmbeddings.forward(inputIds);
    if (this.positionEmbeddings) embeddings = embeddings.add(this.positionEmbeddings.forward((positionIds ?? this.positionIds.slice(1, 0, length)).long()));
    if (this.tokenTypeEmbeddings) {
      const types = tokenTypeIds ?? zeros([batch, length], { dtype: 'int64', device: inputIds.device });
      embeddings = embeddings.add(this.tokenTypeEmbeddings.forward(types));
    }
    if (this.embedProj) embeddings = this.embedProj.forward(embeddings);
    embeddings = this.layerNorm.forward(embeddings).mul(mask.unsqueeze(2).to({ dtype: embeddings.dtype }));
    return this.dropout.forward(embeddings);
  }
}
