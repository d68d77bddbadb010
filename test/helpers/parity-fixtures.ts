// What the parity test files of one family share: DeBERTa-v2's and ModernBERT's specs are split
// over two files each (every spec starts Python about a dozen times), with the same sizes and batch.
import { debertaV2 } from '../../lib/index.js';
import { padded } from './family-parity.js';

export const DEBERTA_V2 = {
  sizes: { vocab_size: 61, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64 },
  noDropout: { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, pooler_dropout: 0, pad_token_id: 0 },
  /** DeBERTa-v3's attention, with 16 buckets. */
  v3: { ...debertaV2.V3_ATTENTION, position_buckets: 16 },
  /** 21 tokens: distances up to 20, past the 8 that 16 buckets keep exact. */
  ids: padded(
    [
      [1, 15, 27, 33, 41, 9, 12, 44, 5, 6, 7, 8, 19, 23, 2],
      [1, 5, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17, 18, 20, 21, 22, 24, 25, 26, 28, 2],
      [1, 30, 31, 2],
    ],
    21,
    0,
  ),
};

export const MODERNBERT = {
  sizes: { vocab_size: 61, hidden_size: 30, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64 },
  special: { pad_token_id: 0, bos_token_id: 2, eos_token_id: 3, cls_token_id: 2, sep_token_id: 3 },
  /** Sequences of 11; row 0 ends in four pads, so with a short window its last padding queries see no real key in the local layers. */
  ids: padded(
    [
      [2, 15, 27, 33, 41, 9, 3],
      [2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 3],
      [2, 44, 17, 23, 58, 31, 12, 50, 19, 3],
    ],
    11,
    0,
  ),
};
