// ElectraConfig: BERT's fields with ELECTRA's defaults (electra-small-discriminator, as
// transformers' ElectraConfig), plus the embeddings' own width and the sequence-summary
// fields transformers keeps for its multiple-choice head.
import { BertConfig, type BertConfigFields } from '../bert/config.js';
import { checkBoolean, checkChoice, checkNumber, checkProbability, describeField } from '../config-checks.js';
import { LIMITS } from '../limits.js';
import { expectConfig, type ConfigInput } from '../pretrained-config.js';

export type SummaryType = 'last' | 'first' | 'mean' | 'cls_index' | 'attn';
export const SUMMARY_TYPES: readonly SummaryType[] = ['last', 'first', 'mean', 'cls_index', 'attn'];

export interface ElectraConfigFields extends BertConfigFields {
  /** The width of the token embeddings; projected to hidden_size when they differ. */
  embedding_size: number;
  summary_type: SummaryType;
  summary_use_proj: boolean;
  /** An activation name, or null for none. */
  summary_activation: string | null;
  summary_last_dropout: number;
}

const DEFAULTS: ElectraConfigFields = {
  // BERT's defaults, with electra-small-discriminator's sizes.
  ...(BertConfig.defaults as BertConfigFields),
  embedding_size: 128,
  hidden_size: 256,
  num_attention_heads: 4,
  intermediate_size: 1024,
  summary_type: 'first',
  summary_use_proj: true,
  summary_activation: 'gelu',
  summary_last_dropout: 0.1,
  model_type: 'electra',
};

/** Sizes by name, for `pretrain --arch electra --model tiny|mini|small|base`: small is the defaults (ELECTRA-Small). */
export const PRESETS: Record<string, Partial<ElectraConfigFields>> = {
  tiny: { embedding_size: 64, hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512 },
  mini: { embedding_size: 128, hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  small: {},
  base: { embedding_size: 768, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 },
};

/**
 * ELECTRA's config. It is a BertConfig, so BERT's encoder blocks accept it; what differs is
 * the embeddings' width and the heads (no pooler, no NSP), hence the parameter count.
 */
export class ElectraConfig extends BertConfig {
  static override readonly modelType: string = 'electra';
  static override readonly className: string = 'ElectraConfig';
  static override readonly defaults: object = DEFAULTS;
  static override readonly floatFields: readonly string[] = [...BertConfig.floatFields, 'summary_last_dropout'];
  declare readonly fields: ElectraConfigFields;

  constructor(fields: ConfigInput<ElectraConfigFields> = {}, extra: Record<string, unknown> = {}) {
    super(fields as ConfigInput<BertConfigFields>, extra);
  }

  /** A copy with some fields changed, ELECTRA's own fields included. */
  override with(changes: ConfigInput<ElectraConfigFields>): this {
    return super.with(changes as ConfigInput<BertConfigFields>);
  }

  override get embeddingSize(): number {
    return this.fields.embedding_size;
  }

  /** The largest of ELECTRA's models: the generator (MLM), the discriminator, or a classifier with many labels. */
  protected override countParameters(): number {
    const f = this.fields;
    const [h, i, v, e, n] = [f.hidden_size, f.intermediate_size, f.vocab_size, f.embedding_size, this.numLabels];
    const embeddings = (v + f.max_position_embeddings + f.type_vocab_size) * e + 2 * e + (e === h ? 0 : e * h + h);
    const layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
    // dense (h → e), LayerNorm, then the vocabulary projection's bias (and weight when untied).
    const generator = h * e + e + 2 * e + v + (f.tie_word_embeddings ? 0 : v * e);
    const discriminator = h * h + h + h + 1;
    const sequenceClassifier = h * h + h + n * (h + 1);
    const tokenClassifier = n * (h + 1);
    return embeddings + f.num_hidden_layers * layer + Math.max(generator, discriminator, sequenceClassifier, tokenClassifier);
  }

  protected override sizeSummary(): string {
    return `embedding_size ${this.fields.embedding_size}, ${super.sizeSummary()}`;
  }

  protected override validateFields(): void {
    // embedding_size first: BERT's checks are followed by the parameter count, which reads it.
    const f = this.fields;
    const who = this.className;
    checkNumber(who, 'embedding_size', f.embedding_size, { integer: true, min: 1, max: LIMITS.hidden_size });
    super.validateFields();
    checkChoice(who, 'summary_type', f.summary_type, SUMMARY_TYPES);
    checkBoolean(who, 'summary_use_proj', f.summary_use_proj);
    if (f.summary_activation !== null && typeof f.summary_activation !== 'string') {
      throw new TypeError(`${who}: summary_activation must be null or an activation name, got ${describeField(f.summary_activation)}`);
    }
    checkProbability(who, 'summary_last_dropout', f.summary_last_dropout);
  }
}

/** The config argument of every ELECTRA module: an ElectraConfig, or a TypeError naming the module. */
export function expectElectraConfig(value: unknown, who: string): asserts value is ElectraConfig {
  expectConfig(value, ElectraConfig, who);
}
