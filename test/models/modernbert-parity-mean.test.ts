// ModernBERT against transformers, second config: every bias on, mean pooling, a global layer
// every other layer, an odd window (5: two tokens either side) and an untied decoder without
// bias (see modernbert-parity.test.ts).
import '../../lib/models/modernbert/family.js';
import { parityTests } from '../helpers/family-parity.js';
import { MODERNBERT } from '../helpers/parity-fixtures.js';

const { sizes, special, ids } = MODERNBERT;

parityTests({
  'ModernBERT (global every 2nd layer, every bias, mean pooling) matches transformers': {
    configClass: 'ModernBertConfig',
    config: {
      ...sizes, ...special, num_hidden_layers: 3, global_attn_every_n_layers: 2, local_attention: 5, classifier_pooling: 'mean',
      attention_bias: true, mlp_bias: true, norm_bias: true, classifier_bias: true, decoder_bias: false, classifier_activation: 'silu', hidden_activation: 'gelu_new', tie_word_embeddings: false,
    },
    ids,
  },
});
