// BertConfig: every field of Hugging Face's BERT config.json, defaults of bert-base-uncased.
// Fields this library does not know are kept and written back unchanged.
import { HIDDEN_ACTS } from '../activation.js';
import { checkBoolean, checkChoice, checkEncoderSizes, checkEps, checkProbability } from '../config-checks.js';
import { COMMON_DEFAULTS, expectConfig, PretrainedConfig, type EncoderConfigFields } from '../pretrained-config.js';

export { LIMITS } from '../limits.js';
export type { ProblemType } from '../pretrained-config.js';
export { HIDDEN_ACTS, type HiddenAct } from '../activation.js';

export interface BertConfigFields extends EncoderConfigFields {
  position_embedding_type: 'absolute';
  use_cache: boolean;
  classifier_dropout: number | null;
  is_decoder: boolean;
  add_cross_attention: boolean;
}

const DEFAULTS: BertConfigFields = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  position_embedding_type: 'absolute',
  use_cache: true,
  classifier_dropout: null,
  is_decoder: false,
  add_cross_attention: false,
  ...COMMON_DEFAULTS,
  model_type: 'bert',
};

const SIZE_FIELDS = ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'type_vocab_size'] as const;

/** Sizes by name, for `--model tiny|mini|small|base` and tests. */
export const PRESETS: Record<string, Partial<BertConfigFields>> = {
  tiny: { hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512 },
  mini: { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  small: { hidden_size: 512, num_hidden_layers: 4, num_attention_heads: 8, intermediate_size: 2048 },
  base: {},
};

/**
 * A BERT-shaped config: the fields and checks of BERT's encoder, which RoBERTa, XLM-RoBERTa
 * and ELECTRA share (their configs extend this one with other defaults, as in transformers).
 */
export class BertConfig extends PretrainedConfig<BertConfigFields> {
  static readonly modelType: string = 'bert';
  static readonly className: string = 'BertConfig';
  static readonly defaults: object = DEFAULTS;
  /** transformers' float-typed fields, written as floats. */
  static readonly floatFields: readonly string[] = ['hidden_dropout_prob', 'attention_probs_dropout_prob', 'initializer_range', 'layer_norm_eps', 'classifier_dropout'];

  get headDim(): number {
    return this.fields.hidden_size / this.fields.num_attention_heads;
  }

  /** The width of the token embeddings (ELECTRA's embedding_size may differ from hidden_size). */
  get embeddingSize(): number {
    return this.fields.hidden_size;
  }

  protected countParameters(): number {
    const f = this.fields;
    const [h, i, v, e] = [f.hidden_size, f.intermediate_size, f.vocab_size, this.embeddingSize];
    const embeddings = (v + f.max_position_embeddings + f.type_vocab_size) * e + 2 * e + (e === h ? 0 : e * h + h);
    const layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
    const pooler = h * h + h;
    const mlm = h * e + e + 2 * e + v + (f.tie_word_embeddings ? 0 : v * e + v); // an untied decoder is a Linear with its own bias
    const nsp = 2 * h + 2;
    const classifier = this.numLabels * (h + 1);
    return embeddings + f.num_hidden_layers * layer + pooler + Math.max(mlm + nsp, classifier);
  }

  protected override sizeSummary(): string {
    const f = this.fields;
    return `${super.sizeSummary()}, max_position_embeddings ${f.max_position_embeddings}`;
  }

  protected validateFields(): void {
    const f = this.fields;
    const who = this.className;
    // Every numeric field: a JSON number (an integer where one is needed) in its range, before
    // anything else reads it. Strings such as "0.1" are refused, not coerced.
    checkEncoderSizes(who, f, SIZE_FIELDS);
    for (const key of ['hidden_dropout_prob', 'attention_probs_dropout_prob'] as const) checkProbability(who, key, f[key]);
    checkProbability(who, 'classifier_dropout', f.classifier_dropout, true);
    checkEps(who, 'layer_norm_eps', f.layer_norm_eps);
    for (const key of ['use_cache', 'is_decoder', 'add_cross_attention'] as const) checkBoolean(who, key, f[key]);
    checkChoice(who, 'hidden_act', f.hidden_act, HIDDEN_ACTS);
    if (f.position_embedding_type !== 'absolute') {
      throw new RangeError(`${who}: position_embedding_type ${JSON.stringify(f.position_embedding_type)?.slice(0, 40)} is not supported (only 'absolute')`);
    }
    if (f.is_decoder || f.add_cross_attention) throw new RangeError(`${who}: decoder models (is_decoder, add_cross_attention) are not supported`);
  }
}

/** The config argument of every BERT module: a BertConfig (or a family's config built on it), or a TypeError naming the module. */
export function expectBertConfig(value: unknown, who: string): asserts value is BertConfig {
  expectConfig(value, BertConfig, who);
}

