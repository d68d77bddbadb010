// ModernBERT against transformers, second config: every bias on, mean pooling, a global layer
// every other layer, an odd window and an untied decoder without bias (see modernbert-parity.test.ts).
import t from 'tap';

import '../../lib/models/modernbert/family.js';
import { familyParity } from '../helpers/family-parity.js';
import { missingPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');

const SPECIAL = { pad_token_id: 0, bos_token_id: 2, eos_token_id: 3, cls_token_id: 2, sep_token_id: 3 };
const SIZES = { vocab_size: 61, hidden_size: 30, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64 };
// Sequences of 11 with a window of 5 (two tokens either side); row 0 ends in four pads, so its
// last padding queries see no real key in the local layers.
const IDS = [
  [2, 15, 27, 33, 41, 9, 3, 0, 0, 0, 0],
  [2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 3],
  [2, 44, 17, 23, 58, 31, 12, 50, 19, 3, 0],
];

t.test('ModernBERT (global every 2nd layer, every bias, mean pooling) matches transformers', { skip }, async (t) => {
  familyParity(t, {
    configClass: 'ModernBertConfig',
    config: {
      ...SIZES, ...SPECIAL, num_hidden_layers: 3, global_attn_every_n_layers: 2, local_attention: 5, classifier_pooling: 'mean',
      attention_bias: true, mlp_bias: true, norm_bias: true, classifier_bias: true, decoder_bias: false, classifier_activation: 'silu', hidden_activation: 'gelu_new', tie_word_embeddings: false,
    },
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
