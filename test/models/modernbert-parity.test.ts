// ModernBERT against transformers: every head through the shared parity harness (outputs, loss
// and every gradient; folders both ways), with local layers whose window is shorter than the
// sequences, padding in the batch, and both pooling modes.
import t from 'tap';

import '../../lib/models/modernbert/family.js';
import { familyParity } from '../helpers/family-parity.js';
import { missingPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');

const SPECIAL = { pad_token_id: 0, bos_token_id: 2, eos_token_id: 3, cls_token_id: 2, sep_token_id: 3 };
const SIZES = { vocab_size: 61, hidden_size: 30, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64 };
// Sequences of 11 with a window of 4 (two tokens either side); row 0 ends in four pads, so its
// last padding queries see no real key in the local layers.
const IDS = [
  [2, 15, 27, 33, 41, 9, 3, 0, 0, 0, 0],
  [2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 3],
  [2, 44, 17, 23, 58, 31, 12, 50, 19, 3, 0],
];

t.test('ModernBERT (global every 3rd layer, no biases, cls pooling) matches transformers', { skip }, async (t) => {
  familyParity(t, {
    configClass: 'ModernBertConfig',
    config: { ...SIZES, ...SPECIAL, num_hidden_layers: 4, global_attn_every_n_layers: 3, local_attention: 4, global_rope_theta: 1000, local_rope_theta: 50, classifier_pooling: 'cls' },
    classes: {
      base: 'ModernBertModel',
      maskedLM: 'ModernBertForMaskedLM',
      sequenceClassification: 'ModernBertForSequenceClassification',
      tokenClassification: 'ModernBertForTokenClassification',
      questionAnswering: 'ModernBertForQuestionAnswering',
    },
    ids: IDS,
  });
});
