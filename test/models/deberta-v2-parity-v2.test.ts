// DeBERTa-v2 against transformers through the shared parity harness, as in
// deberta-v2-parity.test.ts: DeBERTa-v2's own settings (absolute positions, token types, the
// convolution after the first layer) and a narrower embedding_size projected by embed_proj.
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

t.test('DeBERTa-v2 style (absolute positions, token types, "p2c|c2p", the convolution) matches transformers', { skip }, async (t) => {
  familyParity(t, {
    configClass: 'DebertaV2Config',
    config: {
      ...SIZES,
      ...NO_DROPOUT,
      relative_attention: true,
      position_buckets: 12,
      norm_rel_ebd: 'layer_norm',
      share_att_key: true,
      pos_att_type: 'p2c|c2p',
      position_biased_input: true,
      type_vocab_size: 2,
      conv_kernel_size: 3,
      conv_act: 'gelu',
    },
    classes: CLASSES,
    ids: IDS,
    tokenTypes: IDS.map((row) => row.map((_, c) => (c > 6 ? 1 : 0))),
  });
});

t.test('a narrower embedding_size (embed_proj), c2p only, matches transformers (heads other than MLM, which refuses it)', { skip }, async (t) => {
  const { maskedLM: _refused, ...classes } = CLASSES;
  familyParity(t, {
    configClass: 'DebertaV2Config',
    config: { ...SIZES, ...NO_DROPOUT, ...V3, embedding_size: 14, pos_att_type: ['c2p'], share_att_key: false },
    classes,
    ids: IDS,
  });
});
