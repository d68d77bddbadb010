// PretrainedConfig: what every family's config shares. Fields are kept as config.json writes
// them (snake_case), keys a family does not know are kept in `extra` and written back, and
// the labels, padding id and architectures are checked the same way for every family.
import { describeValue } from '../torch/describe.js';
import type { HiddenAct } from './activation.js';
import { checkBoolean, checkChoice, checkNumber, describeField } from './config-checks.js';
import { LIMITS } from './limits.js';

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** The fields every family's config.json has (transformers' PretrainedConfig and the encoders' common ones). */
export interface CommonConfigFields {
  vocab_size: number;
  initializer_range: number;
  /** The padding id, whose embedding row starts at zero and gets no gradient; null for none. */
  pad_token_id: number | null;
  architectures: string[] | null;
  id2label: Record<string, string>;
  label2id: Record<string, number>;
  problem_type: ProblemType | null;
  /** The MLM decoder shares the word embeddings' weight or has its own. */
  tie_word_embeddings: boolean;
  model_type: string;
  /** 'sdpa' (libtorch's fused attention) or 'eager' (the explicit formula); not written to files. */
  attn_implementation: 'sdpa' | 'eager';
}

/**
 * The defaults of the fields every family shares (transformers' PretrainedConfig): two labels,
 * no problem type or architectures, a tied decoder, the fused attention. A family's defaults
 * spread these before its model_type.
 */
export const COMMON_DEFAULTS = {
  architectures: null,
  id2label: { '0': 'LABEL_0', '1': 'LABEL_1' },
  label2id: { LABEL_0: 0, LABEL_1: 1 },
  problem_type: null,
  tie_word_embeddings: true,
  attn_implementation: 'sdpa',
} as const satisfies Omit<CommonConfigFields, 'vocab_size' | 'initializer_range' | 'pad_token_id' | 'model_type'>;

/** The sizes parameterCount's refusal names, of those the family's fields have. */
const SUMMARY_FIELDS = ['hidden_size', 'num_hidden_layers', 'intermediate_size', 'vocab_size'] as const;

/** The fields of a BERT-shaped encoder, under BERT's names (BERT and the families built on it, DeBERTa-v2). */
export interface EncoderConfigFields extends CommonConfigFields {
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: HiddenAct;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  /** The segment types (DeBERTa-v2: 0 for none, token type ids then ignored, as in transformers). */
  type_vocab_size: number;
  layer_norm_eps: number;
}

/** Fields to set: any subset, and num_labels, which builds id2label and label2id. */
export type ConfigInput<F> = Partial<F> & { num_labels?: number };

const PROBLEM_TYPES: readonly string[] = ['regression', 'single_label_classification', 'multi_label_classification'];

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a config class declares about itself (statics, not constructor.name, which minifiers change). */
export interface ConfigClass<C extends PretrainedConfig = PretrainedConfig> {
  new (fields?: Record<string, unknown>, extra?: Record<string, unknown>): C;
  /** config.json's model_type. */
  readonly modelType: string;
  /** The class name messages use: 'BertConfig'. */
  readonly className: string;
  /** Every field the family knows, with its default (the family's base checkpoint). */
  readonly defaults: object;
  /** The fields transformers types as float: config.json holds them as floats (2.0, not 2). */
  readonly floatFields?: readonly string[];
}

export abstract class PretrainedConfig<F extends CommonConfigFields = CommonConfigFields> {
  readonly fields: F;
  /** Everything in config.json that the family's fields do not name, kept as it was. */
  readonly extra: Record<string, unknown>;

  constructor(fields: ConfigInput<F> = {}, extra: Record<string, unknown> = {}) {
    const cls = new.target as unknown as ConfigClass;
    // A field given as undefined is a field not given.
    const defined = Object.fromEntries(Object.entries(fields ?? {}).filter(([, v]) => v !== undefined)) as ConfigInput<F>;
    const { num_labels: numLabels, ...given } = defined;
    const merged = { ...(cls.defaults as F), ...given } as F;
    if (numLabels !== undefined) {
      // Checked before id2label is built from it: num_labels 1e9 must not build a billion labels.
      checkNumber(cls.className, 'num_labels', numLabels, { integer: true, min: 1, max: LIMITS.num_labels });
      if (defined.id2label === undefined) {
        merged.id2label = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
        merged.label2id = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [`LABEL_${i}`, i]));
      }
    }
    this.fields = merged;
    this.extra = extra;
    this.validateFields();
    this.validateCommon();
    // Last, from sizes already checked: a config within every bound can still imply a model no
    // machine holds (65536 wide and 1024 deep is 5e13 parameters).
    const count = this.parameterCount;
    if (count > LIMITS.parameters) {
      throw new RangeError(
        `${this.className}: the config implies ${(count / 1e9).toFixed(1)} billion parameters (${this.sizeSummary()}), ` +
          `more than the ${LIMITS.parameters / 1e9} billion (${(LIMITS.parameters * 4) / 1e9} GB in float32) a model here may have`,
      );
    }
  }

  /** The class as it declared itself. */
  get configClass(): ConfigClass {
    return this.constructor as unknown as ConfigClass;
  }

  get className(): string {
    return this.configClass.className;
  }

  get modelType(): string {
    return this.configClass.modelType;
  }

  get numLabels(): number {
    return Object.keys(this.fields.id2label).length;
  }

  /**
   * The parameters of the largest model this config builds (the pretraining model, or a
   * classification head when that is bigger), from the sizes alone: nothing is allocated.
   */
  get parameterCount(): number {
    return this.countParameters();
  }

  protected abstract countParameters(): number;

  /** The family's own fields, checked before anything reads them. */
  protected abstract validateFields(): void;

  /** The sizes behind parameterCount, for the message that refuses too many. */
  protected sizeSummary(): string {
    const f = this.fields as unknown as Record<string, unknown>;
    return SUMMARY_FIELDS.filter((key) => key in f).map((key) => `${key} ${f[key]}`).join(', ');
  }

  private validateCommon(): void {
    const f = this.fields;
    const who = this.className;
    // A standard deviation: 0 (all zeros) is allowed; above 1, weights of fan-in in the hundreds
    // make every layer's output tens of times its input (real configs use 0.02).
    checkNumber(who, 'initializer_range', f.initializer_range, { min: 0, max: 1 });
    checkNumber(who, 'pad_token_id', f.pad_token_id, { integer: true, min: 0, max: LIMITS.vocab_size - 1, nullable: true });
    if (f.pad_token_id !== null && f.pad_token_id >= f.vocab_size) {
      throw new RangeError(`${who}: pad_token_id ${f.pad_token_id} is outside the vocabulary of ${f.vocab_size} (vocab_size)`);
    }
    checkBoolean(who, 'tie_word_embeddings', f.tie_word_embeddings);
    const labels = f.id2label as unknown;
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) throw new RangeError(`${who}: id2label must be an object of id → label name, got ${describeValue(labels)}`);
    const ids = Object.keys(f.id2label);
    if (ids.length > LIMITS.num_labels) throw new RangeError(`${who}: id2label has ${ids.length} labels, more than the ${LIMITS.num_labels} a classification head may have`);
    // Ids as transformers writes them ("0" to "n-1"): lookups by String(i) find every label.
    const canonical = new Set(ids.map((id) => String(Number(id))));
    if (ids.length === 0 || ids.some((id) => !(Number(id) >= 0 && Number(id) < ids.length && Number.isInteger(Number(id)))) || canonical.size !== ids.length || ids.some((id) => !canonical.has(id))) {
      throw new RangeError(`${who}: id2label must number its labels 0 to n-1, got ids ${truncate(JSON.stringify(ids))}`);
    }
    const names = f.label2id as unknown;
    if (names === null || typeof names !== 'object' || Array.isArray(names)) throw new RangeError(`${who}: label2id must be an object of label name → id, got ${describeField(names)}`);
    for (const [name, id] of Object.entries(names as Record<string, unknown>)) {
      checkNumber(who, `label2id[${JSON.stringify(name)}]`, id, { integer: true, min: 0, max: LIMITS.num_labels - 1 });
    }
    const architectures = f.architectures as unknown;
    if (architectures !== null && (!Array.isArray(architectures) || architectures.some((a) => typeof a !== 'string'))) {
      throw new TypeError(`${who}: architectures must be null or an array of class names, got ${describeField(architectures)}`);
    }
    if (f.problem_type !== null && !PROBLEM_TYPES.includes(f.problem_type)) {
      throw new RangeError(`${who}: problem_type must be null or one of ${PROBLEM_TYPES.join(', ')}, got ${describeValue(f.problem_type)}`);
    }
    if (!['sdpa', 'eager'].includes(f.attn_implementation)) throw new RangeError(`${who}: attn_implementation must be 'sdpa' or 'eager', got ${describeField(f.attn_implementation)}`);
    checkChoice(who, 'model_type', f.model_type, [this.modelType]);
  }

  /** A config from the object config.json holds; unknown keys are kept in `extra`. */
  static fromJSON<C extends PretrainedConfig>(this: ConfigClass<C>, json: Record<string, unknown>): C {
    return configFromJSON(this, json);
  }

  /** The object config.json holds, as transformers writes it. */
  toJSON(): Record<string, unknown> {
    const { attn_implementation: _notSaved, ...fields } = this.fields;
    return { ...this.extra, ...fields, model_type: this.modelType };
  }

  /**
   * config.json's text for `json` (this config's by default): two-space indented, and the
   * class's float fields written as floats, 0.0 and 2.0 rather than 0 and 2, as Python's json
   * writes a float (transformers 5 refuses an integer where its config types a float).
   */
  toJSONText(json: Record<string, unknown> = this.toJSON()): string {
    const floats = new Set(this.configClass.floatFields ?? []);
    const entries = Object.entries(json)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .map(([k, v]) => {
        const text = floats.has(k) && Number.isInteger(v) && Math.abs(v as number) < 1e21 ? `${v}.0` : JSON.stringify(v, null, 2).replace(/\n/g, '\n  ');
        return `  ${JSON.stringify(k)}: ${text}`;
      });
    return entries.length === 0 ? '{}\n' : `{\n${entries.join(',\n')}\n}\n`;
  }

  /** A copy with some fields changed (num_labels rebuilds the labels unless id2label is given). */
  with(changes: ConfigInput<F>): this {
    const base: ConfigInput<F> = { ...this.fields, ...changes };
    if (changes.num_labels !== undefined && changes.id2label === undefined) {
      delete base.id2label;
      delete base.label2id;
    }
    return new this.configClass(base as Record<string, unknown>, this.extra) as this;
  }
}

/** A config argument: an instance of the family's config class, or a TypeError naming the module. */
export function expectConfig<C extends PretrainedConfig>(value: unknown, cls: ConfigClass<C> & (abstract new (...args: never[]) => C), who: string): asserts value is C {
  if (!(value instanceof cls)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? `a ${(value as PretrainedConfig).className ?? (value as object).constructor?.name ?? 'plain'} object` : typeof value;
    throw new TypeError(`${who}: config must be a ${cls.className} (new ${cls.className}({...}) or ${cls.className}.fromJSON), got ${got}`);
  }
}

/** A config of class `cls` from the object config.json holds; unknown keys are kept in `extra`. */
export function configFromJSON<C extends PretrainedConfig>(cls: ConfigClass<C>, json: Record<string, unknown>): C {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError(`${cls.className}.fromJSON(): expected an object`);
  if (json.model_type !== undefined && json.model_type !== cls.modelType) {
    throw new RangeError(`config.json has model_type ${describeValue(json.model_type)}, not '${cls.modelType}'`);
  }
  const known: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    // Own keys only ('constructor' is no field), and defineProperty: '__proto__' is a key.
    const target = Object.hasOwn(cls.defaults, k) || k === 'num_labels' ? known : extra;
    Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  if (typeof json._attn_implementation === 'string') known.attn_implementation = json._attn_implementation;
  return new cls(known, extra);
}
