import { Dropout } from '../../nn/activations.js';
import { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectModernBertConfig, type ModernBertConfig } from './config.js';

/** Token embeddings, LayerNorm and dropout: no positions (the layers rotate) and no segments. */
export class ModernBertEmbeddings extends Module {
  readonly tokEmbeddings: Embedding;
  readonly norm: LayerNorm;
  readonly drop: Dropout;

  constructor(config: ModernBertConfig) {
    super();
    expectModernBertConfig(config, 'new ModernBertEmbeddings()');
    const c = config.fields;
    this.tokEmbeddings = this.registerModule('tok_embeddings', new Embedding(c.vocab_size, c.hidden_size, { paddingIdx: c.pad_token_id }));
    this.norm = this.registerModule('norm', new LayerNorm(c.hidden_size, { eps: c.norm_eps, bias: c.norm_bias }));
    this.drop = this.registerModule('drop', new Dropout(c.embedding_dropout));
  }

  forward(inputIds: Tensor): Tensor {
    return this.drop.forward(this.norm.forward(this.tokEmbeddings.forward(inputIds)));
  }
}
