// RoBERTa against transformers through the shared parity harness: every head, a padded batch
// (pad 1, <s> 0, </s> 2), so the position ids RoBERTa derives from the padding are exercised.
import '../../lib/models/roberta/family.js';
import { padded, parityTests } from '../helpers/family-parity.js';

parityTests({
  'RoBERTa through the Auto classes matches transformers': {
    configClass: 'RobertaConfig',
    config: {
      vocab_size: 61, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 40, type_vocab_size: 1, layer_norm_eps: 1e-5,
      hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2,
    },
    ids: padded([[0, 15, 27, 33, 41, 9, 2], [0, 5, 6, 7, 8, 9, 10, 11, 2], [0, 44, 2]], 9, 1),
  },
});
