// DebertaV2Config: the fields of transformers' DebertaV2Config (defaults of
// microsoft/deberta-v2-xlarge's class defaults), plus the keys its modules read with getattr
// (position_buckets, share_att_key, norm_rel_ebd, embedding_size, conv_*, cls_dropout), with
// the defaults those getattr calls use. DeBERTa-v3 checkpoints set the relative-attention ones.
import { describeValue } from '../../torch/describe.js';
import { HIDDEN_ACTS, type HiddenAct } from '../activation.js';
import { checkBoolean, checkChoice, checkEncoderSizes, checkEps, checkNumber, checkProbability, describeField } from '../config-checks.js';
import { LIMITS } from '../limits.js';
import { COMMON_DEFAULTS, expectConfig, PretrainedConfig, type ConfigInput, type EncoderConfigFields } from '../pretrained-config.js';

export type { HiddenAct } from '../activation.js';

/** The disentangled attention terms: content→position and position→content. */
export type PosAttType = 'c2p' | 'p2c';
const POS_ATT_TYPES: readonly string[] = ['c2p', 'p2c'];
const NORM_REL_EBD: readonly string[] = ['none', 'layer_norm'];

export interface DebertaV2ConfigFields extends EncoderConfigFields {
  relative_attention: boolean;
  /** The relative distance span; below 1 means max_position_embeddings. */
  max_relative_positions: number;
  /** Above 0: relative distances are log-bucketed into 2 × position_buckets embeddings. */
  position_buckets: number;
  /** Add absolute position embeddings to the word embeddings (DeBERTa-v3: false). */
  position_biased_input: boolean;
  /** Which disentangled terms the attention adds; config.json may hold "p2c|c2p". */
  pos_att_type: PosAttType[] | null;
  /** The relative embeddings' projections are the attention's own query/key projections. */
  share_att_key: boolean;
  /** 'layer_norm': the relative embeddings go through a LayerNorm ("none" or "layer_norm", '|'-separated). */
  norm_rel_ebd: string;
  /** The word embeddings' width when it differs from hidden_size (then projected by embed_proj); null: hidden_size. */
  embedding_size: number | null;
  /** Above 0: a convolution over the embeddings joins the first layer's output (DeBERTa-v2 xlarge). */
  conv_kernel_size: number;
  conv_groups: number;
  conv_act: HiddenAct;
  pooler_dropout: number;
  pooler_hidden_act: HiddenAct;
  /** The context pooler's width; null: hidden_size (the classifier reads hidden_size, so it must be that). */
  pooler_hidden_size: number | null;
  /** The classifier's dropout; null: hidden_dropout_prob. */
  cls_dropout: number | null;
  /** true: the MLM head is cls.predictions (transformers' LegacyDebertaV2OnlyMLMHead). */
  legacy: boolean;
  bos_token_id: number | null;
  eos_token_id: number | number[] | null;
}

const DEFAULTS: DebertaV2ConfigFields = {
  vocab_size: 128100,
  hidden_size: 1536,
  num_hidden_layers: 24,
  num_attention_heads: 24,
  intermediate_size: 6144,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 0,
  initializer_range: 0.02,
  layer_norm_eps: 1e-7,
  relative_attention: false,
  max_relative_positions: -1,
  position_buckets: -1,
  pad_token_id: 0,
  bos_token_id: null,
  eos_token_id: null,
  position_biased_input: true,
  pos_att_type: null,
  share_att_key: false,
  norm_rel_ebd: 'none',
  embedding_size: null,
  conv_kernel_size: 0,
  conv_groups: 1,
  conv_act: 'tanh',
  pooler_dropout: 0,
  pooler_hidden_act: 'gelu',
  pooler_hidden_size: null,
  cls_dropout: null,
  legacy: true,
  ...COMMON_DEFAULTS,
  model_type: 'deberta-v2',
};

/** The relative-attention settings of every DeBERTa-v3 checkpoint (microsoft/deberta-v3-*). */
export const V3_ATTENTION: Partial<DebertaV2ConfigFields> = {
  relative_attention: true,
  max_relative_positions: -1,
  position_buckets: 256,
  norm_rel_ebd: 'layer_norm',
  share_att_key: true,
  pos_att_type: ['p2c', 'c2p'],
  position_biased_input: false,
  type_vocab_size: 0,
};

/** Sizes by name, for `--model tiny|mini|small|base`: DeBERTa-v3 attention; base is deberta-v3-base. */
export const PRESETS: Record<string, Partial<DebertaV2ConfigFields>> = {
  tiny: { ...V3_ATTENTION, hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512 },
  mini: { ...V3_ATTENTION, hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  small: { ...V3_ATTENTION, hidden_size: 512, num_hidden_layers: 4, num_attention_heads: 8, intermediate_size: 2048 },
  base: { ...V3_ATTENTION, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 },
};

const SIZE_FIELDS = ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings'] as const;

/** Fields that mean "the default" when absent: transformers' getattr(config, key, default) would read a written null as a value. */
const OMITTED_WHEN_NULL = ['embedding_size', 'pooler_hidden_size'] as const;

/** "p2c|c2p" (older config.json files) as transformers reads it: a lower-case list. */
function normalizePosAttType(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase().split('|').map((x) => x.trim()) : value;
}

export class DebertaV2Config extends PretrainedConfig<DebertaV2ConfigFields> {
  static readonly modelType: string = 'deberta-v2';
  static readonly className: string = 'DebertaV2Config';
  static readonly defaults: object = DEFAULTS;
  static readonly floatFields: readonly string[] = ['hidden_dropout_prob', 'attention_probs_dropout_prob', 'initializer_range', 'layer_norm_eps', 'pooler_dropout'];

  constructor(fields: ConfigInput<DebertaV2ConfigFields> = {}, extra: Record<string, unknown> = {}) {
    const given = (fields ?? {}) as Record<string, unknown>;
    super(('pos_att_type' in given ? { ...given, pos_att_type: normalizePosAttType(given.pos_att_type) } : given) as ConfigInput<DebertaV2ConfigFields>, extra);
  }

  get headDim(): number {
    return this.fields.hidden_size / this.fields.num_attention_heads;
  }

  /** The word embeddings' width. */
  get embeddingSize(): number {
    return this.fields.embedding_size ?? this.fields.hidden_size;
  }

  get posAttTypes(): readonly PosAttType[] {
    return this.fields.pos_att_type ?? [];
  }

  /** The relative distance span the buckets cover (max_relative_positions, or max_position_embeddings below 1). */
  get maxRelativePositions(): number {
    const f = this.fields;
    return f.max_relative_positions < 1 ? f.max_position_embeddings : f.max_relative_positions;
  }

  /** Half the rows of the relative embeddings: position_buckets when bucketing, else the span. */
  get relativeEmbeddingSpan(): number {
    return this.fields.position_buckets > 0 ? this.fields.position_buckets : this.maxRelativePositions;
  }

  get normRelEmbeddings(): boolean {
    return this.fields.norm_rel_ebd.toLowerCase().split('|').map((x) => x.trim()).includes('layer_norm');
  }

  protected countParameters(): number {
    const f = this.fields;
    const [h, i, v, e] = [f.hidden_size, f.intermediate_size, f.vocab_size, this.embeddingSize];
    const linear = (n: number, m: number) => n * m + m;
    const embeddings = (v + (f.position_biased_input ? f.max_position_embeddings : 0) + f.type_vocab_size) * e + (e === h ? 0 : e * h) + 2 * h;
    const positionProjections = f.relative_attention && !f.share_att_key ? this.posAttTypes.filter((x, k, all) => all.indexOf(x) === k).length : 0;
    const attention = (3 + positionProjections) * linear(h, h) + linear(h, h) + 2 * h;
    const layer = attention + linear(h, i) + linear(i, h) + 2 * h;
    const relative = (f.relative_attention ? 2 * this.relativeEmbeddingSpan * h : 0) + (this.normRelEmbeddings ? 2 * h : 0);
    const conv = f.conv_kernel_size > 0 ? h * (h / f.conv_groups) * f.conv_kernel_size + h + 2 * h : 0;
    const mlm = linear(h, e) + 2 * e + v + (f.tie_word_embeddings ? 0 : linear(e, v));
    const classifier = linear(h, h) + linear(h, this.numLabels);
    return embeddings + f.num_hidden_layers * layer + relative + conv + Math.max(mlm, classifier);
  }

  protected validateFields(): void {
    const f = this.fields;
    const who = this.className;
    checkEncoderSizes(who, f, SIZE_FIELDS);
    checkNumber(who, 'type_vocab_size', f.type_vocab_size, { integer: true, min: 0, max: LIMITS.type_vocab_size });
    checkNumber(who, 'embedding_size', f.embedding_size, { integer: true, min: 1, max: LIMITS.hidden_size, nullable: true });
    for (const key of ['hidden_dropout_prob', 'attention_probs_dropout_prob', 'pooler_dropout'] as const) checkProbability(who, key, f[key]);
    checkProbability(who, 'cls_dropout', f.cls_dropout, true);
    checkEps(who, 'layer_norm_eps', f.layer_norm_eps);
    for (const key of ['relative_attention', 'position_biased_input', 'share_att_key', 'legacy'] as const) checkBoolean(who, key, f[key]);
    for (const key of ['hidden_act', 'pooler_hidden_act', 'conv_act'] as const) checkChoice(who, key, f[key], HIDDEN_ACTS);
    checkNumber(who, 'max_relative_positions', f.max_relative_positions, { integer: true, min: -LIMITS.max_position_embeddings, max: LIMITS.max_position_embeddings });
    checkNumber(who, 'position_buckets', f.position_buckets, { integer: true, min: -LIMITS.max_position_embeddings, max: LIMITS.max_position_embeddings });
    if (f.relative_attention && f.position_buckets > 0) {
      // The log buckets divide by log((max_relative_positions - 1) / (position_buckets / 2)):
      // a bucket count of 1, or a span no wider than half the buckets, gives NaN positions.
      const half = Math.floor(f.position_buckets / 2);
      if (f.position_buckets < 2 || this.maxRelativePositions - 1 <= half) {
        throw new RangeError(
          `${who}: position_buckets ${f.position_buckets} needs at least 2 buckets and a relative span (max_relative_positions, or max_position_embeddings below 1: ${this.maxRelativePositions}) above position_buckets / 2 + 1`,
        );
      }
    }
    const types = f.pos_att_type as unknown;
    if (types !== null && (!Array.isArray(types) || types.some((x) => typeof x !== 'string' || !POS_ATT_TYPES.includes(x)))) {
      throw new RangeError(`${who}: pos_att_type must be null or a list of 'c2p' and 'p2c' (or a string such as "p2c|c2p"), got ${describeField(types)}`);
    }
    const norms = typeof f.norm_rel_ebd === 'string' ? f.norm_rel_ebd.toLowerCase().split('|').map((x) => x.trim()) : null;
    if (!norms || norms.some((x) => !NORM_REL_EBD.includes(x))) throw new RangeError(`${who}: norm_rel_ebd must be 'none' or 'layer_norm' ('|'-separated), got ${describeField(f.norm_rel_ebd)}`);
    checkNumber(who, 'conv_kernel_size', f.conv_kernel_size, { integer: true, min: -1024, max: 1024 });
    checkNumber(who, 'conv_groups', f.conv_groups, { integer: true, min: 1, max: LIMITS.hidden_size });
    if (f.conv_kernel_size > 0) {
      // transformers pads by (k - 1) // 2 on each side: an even kernel shortens the sequence and fails there.
      if (f.conv_kernel_size % 2 === 0) throw new RangeError(`${who}: conv_kernel_size must be odd (the convolution keeps the sequence length), got ${f.conv_kernel_size}`);
      if (f.hidden_size % f.conv_groups !== 0) throw new RangeError(`${who}: conv_groups (${f.conv_groups}) must divide hidden_size (${f.hidden_size})`);
    }
    checkNumber(who, 'pooler_hidden_size', f.pooler_hidden_size, { integer: true, min: 1, max: LIMITS.hidden_size, nullable: true });
    if (f.pooler_hidden_size !== null && f.pooler_hidden_size !== f.hidden_size) {
      throw new RangeError(`${who}: pooler_hidden_size (${f.pooler_hidden_size}) must equal hidden_size (${f.hidden_size}): the classifier reads the pooler's output at hidden_size`);
    }
    checkNumber(who, 'bos_token_id', f.bos_token_id, { integer: true, min: 0, max: LIMITS.vocab_size - 1, nullable: true });
    const eos = f.eos_token_id as unknown;
    if (eos !== null && !(typeof eos === 'number' && Number.isInteger(eos) && eos >= 0) && !(Array.isArray(eos) && eos.every((x) => Number.isInteger(x) && x >= 0))) {
      throw new TypeError(`${who}: eos_token_id must be null, a token id or a list of token ids, got ${describeField(eos)}`);
    }
    // transformers reads attention_head_size with getattr; heads × head size other than
    // hidden_size breaks its output projection, so only the default is a working model.
    const headSize = this.extra.attention_head_size;
    if (headSize !== undefined && headSize !== null && headSize !== this.headDim) {
      throw new RangeError(`${who}: attention_head_size ${describeValue(headSize)} is not supported (only hidden_size / num_attention_heads, ${this.headDim})`);
    }
  }

  override toJSON(): Record<string, unknown> {
    const json = super.toJSON();
    for (const key of OMITTED_WHEN_NULL) if (json[key] === null) delete json[key];
    return json;
  }
}

/** The config argument of every DeBERTa-v2 module, or a TypeError naming the module. */
export function expectDebertaV2Config(value: unknown, who: string): asserts value is DebertaV2Config {
  expectConfig(value, DebertaV2Config, who);
}
