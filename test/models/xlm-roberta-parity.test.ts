// XLM-RoBERTa against transformers through the shared parity harness: every head, a padded
// batch, and two segment types (type_vocab_size 2) so the token type path is checked too.
import '../../lib/models/xlm_roberta/family.js';
import { parityTests } from '../helpers/family-parity.js';

parityTests({
  'XLM-RoBERTa through the Auto classes matches transformers': {
    configClass: 'XLMRobertaConfig',
    config: {
      vocab_size: 67, hidden_size: 20, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 31, max_position_embeddings: 20, type_vocab_size: 2, layer_norm_eps: 1e-5,
      hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2,
    },
    ids: [
      [0, 15, 27, 2, 2, 41, 9, 2, 1, 1],
      [0, 5, 6, 7, 2, 2, 10, 11, 12, 2],
    ],
    tokenTypes: [
      [0, 0, 0, 0, 1, 1, 1, 1, 0, 0],
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ],
  },
});
