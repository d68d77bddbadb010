// DistilBERT against transformers through the shared parity harness: every head, with padding
// in the batch and no token types; loads transformers' folders and saves folders it loads.
import t from 'tap';

import '../../lib/models/distilbert/family.js';
import { familyParity } from '../helpers/family-parity.js';
import { missingPython } from '../helpers/python.js';

const TINY = { vocab_size: 61, dim: 24, n_layers: 2, n_heads: 3, hidden_dim: 29, max_position_embeddings: 40, pad_token_id: 0 };
const NO_DROPOUT = { dropout: 0, attention_dropout: 0, qa_dropout: 0, seq_classif_dropout: 0 };
const CLASSES = {
  base: 'DistilBertModel',
  maskedLM: 'DistilBertForMaskedLM',
  sequenceClassification: 'DistilBertForSequenceClassification',
  tokenClassification: 'DistilBertForTokenClassification',
  questionAnswering: 'DistilBertForQuestionAnswering',
};
const IDS = [
  [2, 15, 27, 33, 41, 9, 3, 0, 0],
  [2, 5, 6, 7, 8, 9, 10, 11, 3],
  [2, 44, 60, 3, 0, 0, 0, 0, 0],
];

t.test('DistilBERT through the Auto classes matches transformers', { skip: missingPython('torch', 'transformers') }, async (t) => {
  familyParity(t, { configClass: 'DistilBertConfig', config: { ...TINY, ...NO_DROPOUT }, classes: CLASSES, ids: IDS });
});

t.test('DistilBERT with an untied projector and relu matches transformers', { skip: missingPython('torch', 'transformers') }, async (t) => {
  familyParity(t, {
    configClass: 'DistilBertConfig',
    config: { ...TINY, ...NO_DROPOUT, tie_word_embeddings: false, activation: 'relu', sinusoidal_pos_embds: true },
    classes: { maskedLM: 'DistilBertForMaskedLM' },
    ids: IDS,
  });
});
