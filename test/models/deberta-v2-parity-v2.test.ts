// DeBERTa-v2 against transformers through the shared parity harness, as in
// deberta-v2-parity.test.ts: DeBERTa-v2's own settings (absolute positions, token types, the
// convolution after the first layer) and a narrower embedding_size projected by embed_proj.
import '../../lib/models/deberta_v2/family.js';
import { parityTests } from '../helpers/family-parity.js';
import { DEBERTA_V2 } from '../helpers/parity-fixtures.js';

const { sizes, noDropout, v3, ids } = DEBERTA_V2;

parityTests(
  {
    'DeBERTa-v2 style (absolute positions, token types, "p2c|c2p", the convolution) matches transformers': {
      configClass: 'DebertaV2Config',
      config: {
        ...sizes,
        ...noDropout,
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
      ids,
      tokenTypes: ids.map((row) => row.map((_, c) => (c > 6 ? 1 : 0))),
    },
    'a narrower embedding_size (embed_proj), c2p only, matches transformers (heads other than MLM, which refuses it)': {
      configClass: 'DebertaV2Config',
      config: { ...sizes, ...noDropout, ...v3, embedding_size: 14, pos_att_type: ['c2p'], share_att_key: false },
      classes: {
        base: 'DebertaV2Model',
        sequenceClassification: 'DebertaV2ForSequenceClassification',
        tokenClassification: 'DebertaV2ForTokenClassification',
        questionAnswering: 'DebertaV2ForQuestionAnswering',
      },
      ids,
    },
  },
  { timeoutMs: 15 * 60_000 },
);
