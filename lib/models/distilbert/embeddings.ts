import { Dropout } from '../../nn/activations.js';
import { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import { arange } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectDistilBertConfig, LAYER_NORM_EPS, type DistilBertConfig } from './config.js';

/** Word + position embeddings (no token types), then LayerNorm and dropout: transformers' Embeddings. */
export class DistilBertEmbeddings extends Module {
  readonly wordEmbeddings: Embedding;
  readonly positionEmbeddings: Embedding;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;
  readonly positionIds: Tensor;

  constructor(config: DistilBertConfig) {
    super();
    expectDistilBertConfig(config, 'new DistilBertEmbeddings()');
    const c = config.fields;
    this.wordEmbeddings = this.registerModule('word_embeddings', new Embedding(c.vocab_size, c.dim, { paddingIdx: c.pad_token_id }));
    this.positionEmbeddings = this.registerModule('position_embeddings', new Embedding(c.max_position_embeddings, c.dim));
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.dim, { eps: LAYER_NORM_EPS }));
    this.dropout = this.registerModule('dropout', new Dropout(c.dropout));
    this.positionIds = this.registerBuffer('position_ids', arange(c.max_position_embeddings).view(1, -1), { persistent: false });
  }

  forward(inputIds: Tensor, positionIds?: Tensor | null): Tensor {
    const positions = positionIds ?? this.positionIds.slice(1, 0, inputIds.shape[1]!);
    const embeddings = this.wordEmbeddings.forward(inputIds).add(this.positionEmbeddings.forward(positions));
    return this.dropout.forward(this.layerNorm.forward(embeddings));
  }
}
