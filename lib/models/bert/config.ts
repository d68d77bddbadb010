// BertConfig: every field of Hugging Face's BERT config.json, defaults of bert-base-uncased.
// Fields this library does not know are kept and written back unchanged.

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
    const { num_labels: numLabels, ...given } = fields;
    const merged: BertConfigFields = { ...DEFAULTS, ...given };
    if (numLabels !== undefined && fields.id2label === undefined) {
      if (!Number.isInteger(numLabels) || numLabels < 1) throw new RangeError(`num_labels must be a positive integer, got ${numLabels}`);
      merged.id2label = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
      merged.label2id = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [`LABEL_${i}`, i]));
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

  private validate(): void {
    const f = this.fields;
    const positiveInts: (keyof BertConfigFields)[] = [
      'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'type_vocab_size',
    ];
    for (const key of positiveInts) {
      const v = f[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`BertConfig: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    if (f.hidden_size % f.num_attention_heads !== 0) {
      throw new RangeError(`BertConfig: the hidden size (${f.hidden_size}) is not a multiple of the number of attention heads (${f.num_attention_heads})`);
    }
    for (const key of ['hidden_dropout_prob', 'attention_probs_dropout_prob'] as const) {
      if (!(f[key] >= 0 && f[key] <= 1)) throw new RangeError(`BertConfig: ${key} must be in [0, 1], got ${f[key]}`);
    }
    if (!HIDDEN_ACTS.includes(f.hidden_act)) throw new RangeError(`BertConfig: hidden_act ${JSON.stringify(f.hidden_act)} is not supported (${HIDDEN_ACTS.join(', ')})`);
    if (f.position_embedding_type !== 'absolute') {
      throw new RangeError(`BertConfig: position_embedding_type ${JSON.stringify(f.position_embedding_type)} is not supported (only 'absolute')`);
    }
    if (f.is_decoder || f.add_cross_attention) throw new RangeError('BertConfig: decoder BERT (is_decoder, add_cross_attention) is not supported');
    if (!(f.layer_norm_eps > 0)) throw new RangeError(`BertConfig: layer_norm_eps must be positive, got ${f.layer_norm_eps}`);
    if (f.pad_token_id !== null && (!Number.isInteger(f.pad_token_id) || f.pad_token_id < 0 || f.pad_token_id >= f.vocab_size)) {
      throw new RangeError(`BertConfig: pad_token_id ${f.pad_token_id} is outside the vocabulary of ${f.vocab_size}`);
    }
    const labels = f.id2label as unknown;
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) throw new RangeError(`BertConfig: id2label must be an object of id → label name, got ${JSON.stringify(labels)}`);
    const ids = Object.keys(f.id2label);
    if (ids.length === 0 || ids.some((id) => !(Number(id) >= 0 && Number(id) < ids.length && Number.isInteger(Number(id))))) {
      throw new RangeError(`BertConfig: id2label must number its labels 0 to n-1, got ids ${JSON.stringify(ids)}`);
    }
    if (f.problem_type !== null && !PROBLEM_TYPES.includes(f.problem_type)) {
      throw new RangeError(`BertConfig: problem_type must be null or one of ${PROBLEM_TYPES.join(', ')}, got ${JSON.stringify(f.problem_type)}`);
    }
    if (typeof f.tie_word_embeddings !== 'boolean') throw new RangeError(`BertConfig: tie_word_embeddings must be true or false, got ${JSON.stringify(f.tie_word_embeddings)}`);
    if (!['sdpa', 'eager'].includes(f.attn_implementation)) throw new RangeError(`BertConfig: attn_implementation must be 'sdpa' or 'eager'`);
  }

  /** A config from the object config.json holds; unknown keys are kept in `extra`. */
  static fromJSON(json: Record<string, unknown>): BertConfig {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('BertConfig.fromJSON(): expected an object');
    if (json.model_type !== undefined && json.model_type !== 'bert') throw new RangeError(`config.json has model_type ${JSON.stringify(json.model_type)}, not 'bert'`);
    const known: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json)) {
      if (k in DEFAULTS || k === 'num_labels') known[k] = v;
      else extra[k] = v;
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
