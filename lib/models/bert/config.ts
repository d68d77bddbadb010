// BertConfig: every field of Hugging Face's BERT config.json, defaults of bert-base-uncased.
// Fields this library does not know are kept and written back unchanged.
import { describeValue } from '../../torch/describe.js';

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'gelu_fast' | 'quick_gelu' | 'relu' | 'silu' | 'swish' | 'tanh';
export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

export interface BertConfigFields {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: HiddenAct;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  initializer_range: number;
  layer_norm_eps: number;
  /** The padding id, whose embedding row starts at zero and gets no gradient; null for none. */
  pad_token_id: number | null;
  position_embedding_type: 'absolute';
  use_cache: boolean;
  classifier_dropout: number | null;
  is_decoder: boolean;
  add_cross_attention: boolean;
  architectures: string[] | null;
  id2label: Record<string, string>;
  label2id: Record<string, number>;
  problem_type: ProblemType | null;
  /** The MLM decoder shares the word embeddings' weight (true, BERT's default) or has its own. */
  tie_word_embeddings: boolean;
  model_type: 'bert';
  /** 'sdpa' (libtorch's fused attention) or 'eager' (the explicit formula); not written to files. */
  attn_implementation: 'sdpa' | 'eager';
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
  architectures: null,
  id2label: { '0': 'LABEL_0', '1': 'LABEL_1' },
  label2id: { LABEL_0: 0, LABEL_1: 1 },
  problem_type: null,
  tie_word_embeddings: true,
  model_type: 'bert',
  attn_implementation: 'sdpa',
};

const PROBLEM_TYPES: readonly string[] = ['regression', 'single_label_classification', 'multi_label_classification'];
const HIDDEN_ACTS: readonly string[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'quick_gelu', 'relu', 'silu', 'swish', 'tanh'];

/**
 * Upper bounds past which a value can only be a mistake (a typo, a stray exponent, a hostile
 * file). Without them a config.json with num_hidden_layers 1e7 is found out by building the
 * model, and V8's heap dies at 6.5 GB. Each bound is generous: the biggest public encoders
 * (XLM-RoBERTa-XXL, DeBERTa-v2-xxlarge) have hidden_size 4096, intermediate_size 16384, 48
 * layers, 32 heads and a vocabulary of 250k (XLM-V's 901k is the largest known); long-context
 * encoders (ModernBERT, Jina, Nomic) have 8192 positions; BERT has 2 segment types.
 */
export const LIMITS = {
  /** 21× the deepest public encoder (48). */
  num_hidden_layers: 1024,
  /** Heads must also divide hidden_size; 32× XLM-RoBERTa-XXL's 32. */
  num_attention_heads: 1024,
  /** 16× the widest public encoder (4096), wider than any published language model. */
  hidden_size: 65536,
  /** 16× the widest public encoder's feed-forward (16384). */
  intermediate_size: 262144,
  /** 10× XLM-V's 901,629 tokens; well inside int32 token ids (2^31 - 1). */
  vocab_size: 10_000_000,
  /** 2^20 positions, 128× the long-context encoders' 8192. */
  max_position_embeddings: 1 << 20,
  /** BERT has 2 segment types, a few models 16. */
  type_vocab_size: 1024,
  /** Labels of a classification head; extreme classification sets (Amazon-670K) fit. */
  num_labels: 1_000_000,
  /**
   * Parameters of the largest model the config builds: 100 billion, 10× XLM-RoBERTa-XXL's
   * 10.7B, is 400 GB in float32. Computed from the sizes before anything is allocated.
   */
  parameters: 100e9,
} as const;

/** float32's smallest normal number: a layer_norm_eps below it is 0 once in a float32 kernel. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/** A value as a message shows it: numbers plainly, strings in quotes with their type named. */
function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${describeValue(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === undefined) return String(v);
  if (v === null) return 'null';
  // Bounded, whatever the value: JSON.stringify would walk all of a huge (or sparse) array.
  if (typeof v === 'object') return describeValue(v);
  return typeof v;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface NumberRule {
  integer?: boolean;
  min: number;
  max: number;
  /** The range as messages write it, when it is not [min, max]. */
  range?: string;
  nullable?: boolean;
}

/** Type first (a JSON number, an integer where one is needed), then the range; the message names the field. */
function checkNumber(key: string, v: unknown, rule: NumberRule): void {
  if (v === null && rule.nullable) return;
  const kind = rule.integer ? 'an integer' : 'a number';
  const range = rule.range ?? `[${rule.min}, ${rule.max}]`;
  const expected = `${rule.nullable ? 'null or ' : ''}${kind} in ${range}`;
  if (typeof v !== 'number' || Number.isNaN(v) || (rule.integer && !Number.isInteger(v))) {
    const why = typeof v === 'number' && !Number.isNaN(v) ? ` (${v} is not an integer)` : '';
    throw new TypeError(`BertConfig: ${key} must be ${expected}, got ${describe(v)}${why}`);
  }
  if (!(v >= rule.min && v <= rule.max)) throw new RangeError(`BertConfig: ${key} must be ${expected}, got ${describe(v)}`);
}

function checkBoolean(key: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new TypeError(`BertConfig: ${key} must be true or false, got ${describe(v)}`);
}

const SIZE_FIELDS = ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'type_vocab_size'] as const;

/** Sizes by name, for `--model tiny|mini|small|base` and tests. */
export const PRESETS: Record<string, Partial<BertConfigFields>> = {
  tiny: { hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512 },
  mini: { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  small: { hidden_size: 512, num_hidden_layers: 4, num_attention_heads: 8, intermediate_size: 2048 },
  base: {},
};

export class BertConfig {
  readonly fields: BertConfigFields;
  /** Everything in config.json that BertConfigFields does not name, kept as it was. */
  readonly extra: Record<string, unknown>;

  constructor(fields: Partial<BertConfigFields> & { num_labels?: number } = {}, extra: Record<string, unknown> = {}) {
    // A field given as undefined is a field not given.
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<BertConfigFields> & { num_labels?: number };
    const { num_labels: numLabels, ...given } = defined;
    const merged: BertConfigFields = { ...DEFAULTS, ...given };
    if (numLabels !== undefined) {
      // Checked before id2label is built from it: num_labels 1e9 must not build a billion labels.
      checkNumber('num_labels', numLabels, { integer: true, min: 1, max: LIMITS.num_labels });
      if (defined.id2label === undefined) {
        merged.id2label = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
        merged.label2id = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [`LABEL_${i}`, i]));
      }
    }
    this.fields = merged;
    this.extra = extra;
    this.validate();
  }

  get numLabels(): number {
    return Object.keys(this.fields.id2label).length;
  }

  get headDim(): number {
    return this.fields.hidden_size / this.fields.num_attention_heads;
  }

  /**
   * The parameters of the largest model this config builds (BertForPreTraining, or a
   * classification head when that is bigger), from the sizes alone: nothing is allocated.
   */
  get parameterCount(): number {
    const f = this.fields;
    const [h, i, v] = [f.hidden_size, f.intermediate_size, f.vocab_size];
    const embeddings = (v + f.max_position_embeddings + f.type_vocab_size) * h + 2 * h;
    const layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
    const pooler = h * h + h;
    const mlm = h * h + h + 2 * h + v + (f.tie_word_embeddings ? 0 : v * h + v); // an untied decoder is a Linear with its own bias
    const nsp = 2 * h + 2;
    const classifier = this.numLabels * (h + 1);
    return embeddings + f.num_hidden_layers * layer + pooler + Math.max(mlm + nsp, classifier);
  }

  private validate(): void {
    const f = this.fields;
    // Every numeric field: a JSON number (an integer where one is needed) in its range, before
    // anything else reads it. Strings such as "0.1" are refused, not coerced.
    for (const key of SIZE_FIELDS) checkNumber(key, f[key], { integer: true, min: 1, max: LIMITS[key] });
    if (f.hidden_size % f.num_attention_heads !== 0) {
      throw new RangeError(`BertConfig: the hidden size (${f.hidden_size}) is not a multiple of the number of attention heads (${f.num_attention_heads})`);
    }
    for (const key of ['hidden_dropout_prob', 'attention_probs_dropout_prob'] as const) checkNumber(key, f[key], { min: 0, max: 1 });
    checkNumber('classifier_dropout', f.classifier_dropout, { min: 0, max: 1, nullable: true });
    // A standard deviation: 0 (all zeros) is allowed; above 1, weights of fan-in in the hundreds
    // make every layer's output tens of times its input (real configs use 0.02).
    checkNumber('initializer_range', f.initializer_range, { min: 0, max: 1 });
    // Positive and normal in float32 (smaller is 0 there, and a constant input divides by 0);
    // above 1 it outweighs the variance it is added to.
    checkNumber('layer_norm_eps', f.layer_norm_eps, { min: FLOAT32_MIN_NORMAL, max: 1, range: '[1.18e-38 (float32\'s smallest normal), 1]' });
    checkNumber('pad_token_id', f.pad_token_id, { integer: true, min: 0, max: LIMITS.vocab_size - 1, nullable: true });
    if (f.pad_token_id !== null && f.pad_token_id >= f.vocab_size) {
      throw new RangeError(`BertConfig: pad_token_id ${f.pad_token_id} is outside the vocabulary of ${f.vocab_size} (vocab_size)`);
    }
    for (const key of ['use_cache', 'is_decoder', 'add_cross_attention', 'tie_word_embeddings'] as const) checkBoolean(key, f[key]);
    if (!HIDDEN_ACTS.includes(f.hidden_act)) throw new RangeError(`BertConfig: hidden_act ${describeValue(f.hidden_act)} is not supported (${HIDDEN_ACTS.join(', ')})`);
    if (f.position_embedding_type !== 'absolute') {
      throw new RangeError(`BertConfig: position_embedding_type ${describeValue(f.position_embedding_type)} is not supported (only 'absolute')`);
    }
    if (f.is_decoder || f.add_cross_attention) throw new RangeError('BertConfig: decoder BERT (is_decoder, add_cross_attention) is not supported');
    const labels = f.id2label as unknown;
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) throw new RangeError(`BertConfig: id2label must be an object of id → label name, got ${describeValue(labels)}`);
    const ids = Object.keys(f.id2label);
    if (ids.length > LIMITS.num_labels) throw new RangeError(`BertConfig: id2label has ${ids.length} labels, more than the ${LIMITS.num_labels} a classification head may have`);
    // Ids as transformers writes them ("0" to "n-1"): lookups by String(i) find every label.
    const canonical = new Set(ids.map((id) => String(Number(id))));
    if (ids.length === 0 || ids.some((id) => !(Number(id) >= 0 && Number(id) < ids.length && Number.isInteger(Number(id)))) || canonical.size !== ids.length || ids.some((id) => !canonical.has(id))) {
      throw new RangeError(`BertConfig: id2label must number its labels 0 to n-1, got ids ${truncate(JSON.stringify(ids))}`);
    }
    const names = f.label2id as unknown;
    if (names === null || typeof names !== 'object' || Array.isArray(names)) throw new RangeError(`BertConfig: label2id must be an object of label name → id, got ${describe(names)}`);
    for (const [name, id] of Object.entries(names as Record<string, unknown>)) {
      checkNumber(`label2id[${JSON.stringify(name)}]`, id, { integer: true, min: 0, max: LIMITS.num_labels - 1 });
    }
    const architectures = f.architectures as unknown;
    if (architectures !== null && (!Array.isArray(architectures) || architectures.some((a) => typeof a !== 'string'))) {
      throw new TypeError(`BertConfig: architectures must be null or an array of class names, got ${describe(architectures)}`);
    }
    if (f.problem_type !== null && !PROBLEM_TYPES.includes(f.problem_type)) {
      throw new RangeError(`BertConfig: problem_type must be null or one of ${PROBLEM_TYPES.join(', ')}, got ${describeValue(f.problem_type)}`);
    }
    if (!['sdpa', 'eager'].includes(f.attn_implementation)) throw new RangeError(`BertConfig: attn_implementation must be 'sdpa' or 'eager', got ${describe(f.attn_implementation)}`);
    // Last, from sizes already checked: a config within every bound can still imply a model no
    // machine holds (65536 wide and 1024 deep is 5e13 parameters).
    const count = this.parameterCount;
    if (count > LIMITS.parameters) {
      throw new RangeError(
        `BertConfig: the config implies ${(count / 1e9).toFixed(1)} billion parameters (hidden_size ${f.hidden_size}, num_hidden_layers ${f.num_hidden_layers}, ` +
          `intermediate_size ${f.intermediate_size}, vocab_size ${f.vocab_size}, max_position_embeddings ${f.max_position_embeddings}), ` +
          `more than the ${LIMITS.parameters / 1e9} billion (${(LIMITS.parameters * 4) / 1e9} GB in float32) a BERT model here may have`,
      );
    }
  }

  /** A config from the object config.json holds; unknown keys are kept in `extra`. */
  static fromJSON(json: Record<string, unknown>): BertConfig {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('BertConfig.fromJSON(): expected an object');
    if (json.model_type !== undefined && json.model_type !== 'bert') throw new RangeError(`config.json has model_type ${describeValue(json.model_type)}, not 'bert'`);
    const known: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json)) {
      // Own keys only ('constructor' is no field), and defineProperty: '__proto__' is a key.
      const target = Object.hasOwn(DEFAULTS, k) || k === 'num_labels' ? known : extra;
      Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (typeof json._attn_implementation === 'string') known.attn_implementation = json._attn_implementation;
    return new BertConfig(known as Partial<BertConfigFields>, extra);
  }

  /** The object config.json holds, as transformers writes it. */
  toJSON(): Record<string, unknown> {
    const { attn_implementation: _notSaved, ...fields } = this.fields;
    return { ...this.extra, ...fields, model_type: 'bert' };
  }

  with(changes: Partial<BertConfigFields> & { num_labels?: number }): BertConfig {
    const base: Partial<BertConfigFields> & { num_labels?: number } = { ...this.fields, ...changes };
    if (changes.num_labels !== undefined && changes.id2label === undefined) {
      delete base.id2label;
      delete base.label2id;
    }
    return new BertConfig(base, this.extra);
  }
}

/** The config argument of every BERT module: a BertConfig, or a TypeError naming the module. */
export function expectBertConfig(value: unknown, who: string): asserts value is BertConfig {
  if (!(value instanceof BertConfig)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'plain'} object` : typeof value;
    throw new TypeError(`${who}: config must be a BertConfig (new bert.BertConfig({...}) or BertConfig.fromJSON), got ${got}`);
  }
}
