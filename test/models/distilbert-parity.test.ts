// DistilBERT against transformers through the shared parity harness: every head, with padding
// in the batch and no token types; loads transformers' folders and saves folders it loads.
import '../../lib/models/distilbert/family.js';
import { padded, parityTests } from '../helpers/family-parity.js';

const TINY = { vocab_size: 61, dim: 24, n_layers: 2, n_heads: 3, hidden_dim: 29, max_position_embeddings: 40, pad_token_id: 0, dropout: 0, attention_dropout: 0, qa_dropout: 0, seq_classif_dropout: 0 };
const ids = padded([[2, 15, 27, 33, 41, 9, 3], [2, 5, 6, 7, 8, 9, 10, 11, 3], [2, 44, 60, 3]], 9, 0);

parityTests({
  'DistilBERT through the Auto classes matches transformers': { configClass: 'DistilBertConfig', config: TINY, ids },
  'DistilBERT with an untied projector and relu matches transformers': {
    configClass: 'DistilBertConfig',
    config: { ...TINY, tie_word_embeddings: false, activation: 'relu', sinusoidal_pos_embds: true },
    classes: { maskedLM: 'DistilBertForMaskedLM' },
    ids,
  },
});
