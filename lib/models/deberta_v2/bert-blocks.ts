// DeBERTa-v2's self-output, intermediate and output blocks, and its legacy MLM head, are
// BERT's (same names, same math; transformers marks them "Copied from ... Bert"). BERT's
// modules take a BertConfig: this is one holding the DeBERTa config's values for the fields
// those blocks read, with the rest at sizes that keep its own parameter count small.
import { BertConfig } from '../bert/config.js';
import type { DebertaV2Config } from './config.js';

/** A BertConfig for BERT's layer blocks inside a DeBERTa-v2 model (hidden sizes, activation, dropout, eps). */
export function bertBlockConfig(config: DebertaV2Config): BertConfig {
  const c = config.fields;
  return new BertConfig({
    hidden_size: c.hidden_size,
    intermediate_size: c.intermediate_size,
    hidden_act: c.hidden_act,
    hidden_dropout_prob: c.hidden_dropout_prob,
    layer_norm_eps: c.layer_norm_eps,
    initializer_range: c.initializer_range,
    pad_token_id: null,
    // Not read by the blocks; the smallest valid values.
    vocab_size: 1,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    max_position_embeddings: 1,
    type_vocab_size: 1,
  });
}

/** The same for BERT's MLM head: with the vocabulary and the tying of the decoder. */
export function bertHeadConfig(config: DebertaV2Config): BertConfig {
  return bertBlockConfig(config).with({ vocab_size: config.fields.vocab_size, tie_word_embeddings: config.fields.tie_word_embeddings });
}
