// DeBERTa-v2/v3 against transformers through the shared parity harness: every head, with
// padding in the batch and sequences long enough that relative distances reach the log
// buckets: DeBERTa-v3's attention with shared keys, then separate position projections.
import t from 'tap';

import '../../lib/models/deberta_v2/family.js';
import { familyParity } from '../helpers/family-parity.js';
import { missingPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
// Each parity spec starts Python about a dozen times (transformers' import is most of it): on
// a loaded machine two specs take close to the 300 s package.json gives tap.
t.setTimeout(15 * 60_000);

const SIZES = { vocab_size: 61, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64 };
const NO_DROPOUT = { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, pooler_dropout: 0, pad_token_id: 0 };
const V3 = {
  relative_attention: true,
  position_buckets: 16,
  max_relative_positions: -1,
  norm_rel_ebd: 'layer_norm',
  share_att_key: true,
  pos_att_type: ['p2c', 'c2p'],
  position_biased_input: false,
  type_vocab_size: 0,
};
const CLASSES = {
  base: 'DebertaV2Model',
  maskedLM: 'DebertaV2ForMaskedLM',
  sequenceClassification: 'DebertaV2ForSequenceClassification',
  tokenClassification: 'DebertaV2ForTokenClassification',
  questionAnswering: 'DebertaV2ForQuestionAnswering',
};
// 21 tokens: distances up to 20, past the 8 that 16 buckets keep exact.
const IDS = [
  [1, 15, 27, 33, 41, 9, 12, 44, 5, 6, 7, 8, 19, 23, 2, 0, 0, 0, 0, 0, 0],
  [1, 5, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17, 18, 20, 21, 22, 24, 25, 26, 28, 2],
  [1, 30, 31, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
];

t.test('DeBERTa-v3 attention (shared keys, 16 log buckets) matches transformers', { skip }, async (t) => {
  familyParity(t, { configClass: 'DebertaV2Config', config: { ...SIZES, ...NO_DROPOUT, ...V3 }, classes: CLASSES, ids: IDS });
});

t.test('separate position projections (share_att_key false), c2p and p2c, matches transformers', { skip }, async (t) => {
  familyParity(t, {
    configClass: 'DebertaV2Config',
    config: { ...SIZES, ...NO_DROPOUT, ...V3, share_att_key: false, position_buckets: 6, max_relative_positions: 40, norm_rel_ebd: 'none', hidden_act: 'gelu_new', pooler_hidden_act: 'tanh' },
    classes: CLASSES,
    ids: IDS,
  });
});
