// DistilBertConfig: the fields of Hugging Face's DistilBERT config.json under DistilBERT's own
// names (dim, n_layers, n_heads, hidden_dim), defaults of distilbert-base-uncased. Not a
// BertConfig: the names differ and there are no token types. transformers' attribute_map
// aliases (hidden_size, num_hidden_layers, num_attention_heads) are read as the own names.
import { describeValue } from '../../torch/describe.js';
import { HIDDEN_ACTS, type HiddenAct } from '../activation.js';
import { checkBoolean, checkChoice, checkNumber, checkProbability } from '../config-checks.js';
import { LIMITS } from '../limits.js';
import { COMMON_DEFAULTS, expectConfig, PretrainedConfig, type CommonConfigFields, type ConfigInput } from '../pretrained-config.js';

export interface DistilBertConfigFields extends CommonConfigFields {
  vocab_size: number;
  max_position_embeddings: number;
  /** Position embeddings start as sin/cos tables (and still train, as in transformers 5). */
  sinusoidal_pos_embds: boolean;
  n_layers: number;
  n_heads: number;
  /** The hidden size. */
  dim: number;
  /** The feed-forward size. */
  hidden_dim: number;
  /** Embeddings and feed-forward output; also the token classification head's. */
  dropout: number;
  attention_dropout: number;
  activation: HiddenAct;
  qa_dropout: number;
  seq_classif_dropout: number;
}

const DEFAULTS: DistilBertConfigFields = {
  vocab_size: 30522,
  max_position_embeddings: 512,
  sinusoidal_pos_embds: false,
  n_layers: 6,
  n_heads: 12,
  dim: 768,
  hidden_dim: 3072,
  dropout: 0.1,
  attention_dropout: 0.1,
  activation: 'gelu',
  initializer_range: 0.02,
  qa_dropout: 0.1,
  seq_classif_dropout: 0.2,
  pad_token_id: 0,
  ...COMMON_DEFAULTS,
  model_type: 'distilbert',
};

/** DistilBERT's LayerNorms have a fixed eps (no config field), as in transformers. */
export const LAYER_NORM_EPS = 1e-12;

/** transformers' attribute_map: the generic name → DistilBERT's field. */
const ALIASES = { hidden_size: 'dim', num_hidden_layers: 'n_layers', num_attention_heads: 'n_heads' } as const;

/** Sizes by name, for `pretrain --arch distilbert --model tiny|mini|small|base` and tests. */
export const PRESETS: Record<string, Partial<DistilBertConfigFields>> = {
  tiny: { dim: 128, n_layers: 2, n_heads: 2, hidden_dim: 512 },
  mini: { dim: 256, n_layers: 4, n_heads: 4, hidden_dim: 1024 },
  small: { dim: 512, n_layers: 4, n_heads: 8, hidden_dim: 2048 },
  base: {},
};

/** Moves alias keys (in the fields given or in config.json's leftovers) to the own names. */
function resolveAliases(fields: Record<string, unknown>, extra: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const known = { ...fields };
  const rest = { ...extra };
  for (const [alias, own] of Object.entries(ALIASES)) {
    for (const source of [known, rest]) {
      if (!Object.hasOwn(source, alias)) continue;
      const value = source[alias];
      delete source[alias];
      if (known[own] !== undefined && known[own] !== value) {
        throw new RangeError(`DistilBertConfig: ${alias} (${describeValue(value)}) is ${own} under another name, and ${own} is ${describeValue(known[own])}`);
      }
      known[own] = value;
    }
  }
  return [known, rest];
}

export class DistilBertConfig extends PretrainedConfig<DistilBertConfigFields> {
  static readonly modelType: string = 'distilbert';
  static readonly className: string = 'DistilBertConfig';
  static readonly defaults: object = DEFAULTS;
  static readonly floatFields: readonly string[] = ['dropout', 'attention_dropout', 'initializer_range', 'qa_dropout', 'seq_classif_dropout'];

  constructor(fields: ConfigInput<DistilBertConfigFields> = {}, extra: Record<string, unknown> = {}) {
    const [known, rest] = resolveAliases((fields ?? {}) as Record<string, unknown>, extra ?? {});
    super(known as ConfigInput<DistilBertConfigFields>, rest);
  }

  get headDim(): number {
    return this.fields.dim / this.fields.n_heads;
  }

  protected countParameters(): number {
    const f = this.fields;
    const [d, h, v, labels] = [f.dim, f.hidden_dim, f.vocab_size, this.numLabels];
    const embeddings = (v + f.max_position_embeddings) * d + 2 * d;
    const layer = 4 * (d * d + d) + 2 * d + (d * h + h) + (h * d + d) + 2 * d;
    // vocab_transform, vocab_layer_norm, vocab_projector's bias (and its weight when untied).
    const mlm = d * d + d + 2 * d + v + (f.tie_word_embeddings ? 0 : v * d);
    const sequenceClassifier = d * d + d + labels * (d + 1);
    return embeddings + f.n_layers * layer + Math.max(mlm, sequenceClassifier);
  }

  protected override sizeSummary(): string {
    const f = this.fields;
    return `dim ${f.dim}, n_layers ${f.n_layers}, hidden_dim ${f.hidden_dim}, vocab_size ${f.vocab_size}, max_position_embeddings ${f.max_position_embeddings}`;
  }

  protected validateFields(): void {
    const f = this.fields;
    const who = this.className;
    const sizes = [
      ['vocab_size', LIMITS.vocab_size],
      ['max_position_embeddings', LIMITS.max_position_embeddings],
      ['n_layers', LIMITS.num_hidden_layers],
      ['n_heads', LIMITS.num_attention_heads],
      ['dim', LIMITS.hidden_size],
      ['hidden_dim', LIMITS.intermediate_size],
    ] as const;
    for (const [key, max] of sizes) checkNumber(who, key, f[key], { integer: true, min: 1, max });
    if (f.dim % f.n_heads !== 0) throw new RangeError(`${who}: dim (${f.dim}) is not a multiple of n_heads (${f.n_heads})`);
    for (const key of ['dropout', 'attention_dropout', 'qa_dropout', 'seq_classif_dropout'] as const) checkProbability(who, key, f[key]);
    checkBoolean(who, 'sinusoidal_pos_embds', f.sinusoidal_pos_embds);
    checkChoice(who, 'activation', f.activation, HIDDEN_ACTS);
  }
}

/** The config argument of every DistilBERT module, or a TypeError naming the module. */
export function expectDistilBertConfig(value: unknown, who: string): asserts value is DistilBertConfig {
  expectConfig(value, DistilBertConfig, who);
}
