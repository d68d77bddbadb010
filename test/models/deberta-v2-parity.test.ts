// DeBERTa-v2/v3 against transformers through the shared parity harness: every head, with
// padding in the batch and sequences long enough that relative distances reach the log
// buckets: DeBERTa-v3's attention with shared keys, then separate position projections.
import '../../lib/models/deberta_v2/family.js';
import { parityTests } from '../helpers/family-parity.js';
import { DEBERTA_V2 } from '../helpers/parity-fixtures.js';

const { sizes, noDropout, v3, ids } = DEBERTA_V2;

parityTests(
  {
    'DeBERTa-v3 attention (shared keys, 16 log buckets) matches transformers': { configClass: 'DebertaV2Config', config: { ...sizes, ...noDropout, ...v3 }, ids },
    'separate position projections (share_att_key false), c2p and p2c, matches transformers': {
      configClass: 'DebertaV2Config',
      config: { ...sizes, ...noDropout, ...v3, share_att_key: false, position_buckets: 6, max_relative_positions: 40, norm_rel_ebd: 'none', hidden_act: 'gelu_new', pooler_hidden_act: 'tanh' },
      ids,
    },
  },
  { timeoutMs: 15 * 60_000 },
);
