// ModernBERT against transformers: every head through the shared parity harness (outputs, loss
// and every gradient; folders both ways), with local layers whose window (4: two tokens either
// side) is shorter than the sequences, padding in the batch, and cls pooling.
import '../../lib/models/modernbert/family.js';
import { parityTests } from '../helpers/family-parity.js';
import { MODERNBERT } from '../helpers/parity-fixtures.js';

const { sizes, special, ids } = MODERNBERT;

parityTests({
  'ModernBERT (global every 3rd layer, no biases, cls pooling) matches transformers': {
    configClass: 'ModernBertConfig',
    config: { ...sizes, ...special, num_hidden_layers: 4, global_attn_every_n_layers: 3, local_attention: 4, global_rope_theta: 1000, local_rope_theta: 50, classifier_pooling: 'cls' },
    ids,
  },
});
