// ModernBertConfig: every field of transformers 5's ModernBERT config.json, defaults of
// answerdotai/ModernBERT-base. Older folders (transformers 4) describe the layer pattern with
// global_attn_every_n_layers and the rotary bases with global_rope_theta/local_rope_theta;
// transformers 5 writes layer_types and rope_parameters. Both are read, and both are written.
import { describeValue } from '../../torch/describe.js';
import { HIDDEN_ACTS, type HiddenAct } from '../activation.js';
import { checkBoolean, checkChoice, checkEncoderSizes, checkEps, checkNumber, checkProbability, describeField } from '../config-checks.js';
import { LIMITS } from '../limits.js';
import { COMMON_DEFAULTS, expectConfig, PretrainedConfig, type CommonConfigFields } from '../pretrained-config.js';

export type LayerType = 'full_attention' | 'sliding_attention';
export const LAYER_TYPES: readonly LayerType[] = ['full_attention', 'sliding_attention'];

/** One layer type's rotary settings, as rope_parameters holds them. */
export interface RopeSettings {
  rope_type?: 'default';
  rope_theta?: number;
  [key: string]: unknown;
}

export type RopeParameters = Partial<Record<LayerType, RopeSettings | null>>;

export interface ModernBertConfigFields extends CommonConfigFields {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  hidden_activation: HiddenAct;
  max_position_embeddings: number;
  /** Truncation of the initial weights at ± this many standard deviations (null: 3). */
  initializer_cutoff_factor: number | null;
  norm_eps: number;
  norm_bias: boolean;
  eos_token_id: number | number[] | null;
  bos_token_id: number | null;
  cls_token_id: number | null;
  sep_token_id: number | null;
  /** transformers 4's rotary base of the global layers; rope_parameters.full_attention wins. */
  global_rope_theta: number;
  /** transformers 4's rotary base of the local layers; rope_parameters.sliding_attention wins. */
  local_rope_theta: number;
  /** transformers 4's layer pattern (layer i is global when i % n is 0); layer_types wins. */
  global_attn_every_n_layers: number;
  layer_types: LayerType[] | null;
  rope_parameters: RopeParameters | null;
  attention_bias: boolean;
  attention_dropout: number;
  /** The sliding window of the local layers: token i sees j when |i - j| <= local_attention / 2. */
  local_attention: number;
  embedding_dropout: number;
  mlp_bias: boolean;
  mlp_dropout: number;
  decoder_bias: boolean;
  classifier_pooling: 'cls' | 'mean';
  classifier_dropout: number;
  classifier_bias: boolean;
  classifier_activation: HiddenAct;
  deterministic_flash_attn: boolean;
  sparse_prediction: boolean;
  sparse_pred_ignore_index: number;
  /** transformers 4's torch.compile switch: read, not used, not written (as transformers 5). */
  reference_compile: boolean | null;
}

const DEFAULTS: ModernBertConfigFields = {
  vocab_size: 50368,
  hidden_size: 768,
  intermediate_size: 1152,
  num_hidden_layers: 22,
  num_attention_heads: 12,
  hidden_activation: 'gelu',
  max_position_embeddings: 8192,
  initializer_range: 0.02,
  initializer_cutoff_factor: 2.0,
  norm_eps: 1e-5,
  norm_bias: false,
  pad_token_id: 50283,
  eos_token_id: 50282,
  bos_token_id: 50281,
  cls_token_id: 50281,
  sep_token_id: 50282,
  global_rope_theta: 160000.0,
  local_rope_theta: 10000.0,
  global_attn_every_n_layers: 3,
  layer_types: null,
  rope_parameters: null,
  attention_bias: false,
  attention_dropout: 0.0,
  local_attention: 128,
  embedding_dropout: 0.0,
  mlp_bias: false,
  mlp_dropout: 0.0,
  decoder_bias: true,
  classifier_pooling: 'cls',
  classifier_dropout: 0.0,
  classifier_bias: false,
  classifier_activation: 'gelu',
  deterministic_flash_attn: false,
  sparse_prediction: false,
  sparse_pred_ignore_index: -100,
  reference_compile: null,
  ...COMMON_DEFAULTS,
  model_type: 'modernbert',
};

const SIZE_FIELDS = ['vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'max_position_embeddings'] as const;

/** Sizes by name, for `pretrain --arch modernbert --model tiny|mini|small|base` (feed-forward 1.5× as ModernBERT-base). */
export const PRESETS: Record<string, Partial<ModernBertConfigFields>> = {
  tiny: { hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 192 },
  mini: { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 384 },
  small: { hidden_size: 512, num_hidden_layers: 4, num_attention_heads: 8, intermediate_size: 768 },
  base: {},
};

/** transformers 4's pattern: every n-th layer (from layer 0) global, the others local. */
function periodicLayerTypes(layers: number, n: number): LayerType[] {
  return Array.from({ length: layers }, (_, i) => (i % n === 0 ? 'full_attention' : 'sliding_attention'));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class ModernBertConfig extends PretrainedConfig<ModernBertConfigFields> {
  static readonly modelType: string = 'modernbert';
  static readonly className: string = 'ModernBertConfig';
  static readonly defaults: object = DEFAULTS;
  static readonly floatFields: readonly string[] = ['initializer_range', 'initializer_cutoff_factor', 'norm_eps', 'attention_dropout', 'embedding_dropout', 'mlp_dropout', 'classifier_dropout'];

  get headDim(): number {
    return this.fields.hidden_size / this.fields.num_attention_heads;
  }

  /** Each layer's attention: layer_types, or transformers 4's global_attn_every_n_layers pattern. */
  get layerTypes(): LayerType[] {
    const f = this.fields;
    return f.layer_types ? [...f.layer_types] : periodicLayerTypes(f.num_hidden_layers, f.global_attn_every_n_layers);
  }

  /** The rotary base of a layer type: rope_parameters, or transformers 4's global/local_rope_theta. */
  ropeTheta(type: LayerType): number {
    const f = this.fields;
    return f.rope_parameters?.[type]?.rope_theta ?? (type === 'full_attention' ? f.global_rope_theta : f.local_rope_theta);
  }

  /** How far a local layer looks either side (transformers' config.sliding_window). */
  get slidingWindow(): number {
    return Math.floor(this.fields.local_attention / 2);
  }

  protected countParameters(): number {
    const f = this.fields;
    const [h, i, v] = [f.hidden_size, f.intermediate_size, f.vocab_size];
    const norm = h + (f.norm_bias ? h : 0);
    const linear = (inputs: number, outputs: number, bias: boolean) => inputs * outputs + (bias ? outputs : 0);
    const embeddings = v * h + norm;
    const layer = norm + linear(h, 3 * h, f.attention_bias) + linear(h, h, f.attention_bias) + norm + linear(h, 2 * i, f.mlp_bias) + linear(i, h, f.mlp_bias);
    // Layer 0 has no attention norm (its input is the embeddings' norm); final_norm closes the stack.
    const finalNorm = norm;
    const base = embeddings + f.num_hidden_layers * layer - norm + finalNorm;
    const head = linear(h, h, f.classifier_bias) + norm;
    const decoder = (f.tie_word_embeddings ? 0 : v * h) + (f.decoder_bias ? v : 0);
    const classifier = linear(h, this.numLabels, true);
    return base + head + Math.max(decoder, classifier);
  }

  protected validateFields(): void {
    const f = this.fields;
    const who = this.className;
    checkEncoderSizes(who, f, SIZE_FIELDS);
    // rotate_half splits each head in two halves.
    if (this.headDim % 2 !== 0) throw new RangeError(`${who}: the head size (hidden_size / num_attention_heads = ${this.headDim}) must be even for rotary embeddings`);
    checkChoice(who, 'hidden_activation', f.hidden_activation, HIDDEN_ACTS);
    checkChoice(who, 'classifier_activation', f.classifier_activation, HIDDEN_ACTS);
    checkChoice(who, 'classifier_pooling', f.classifier_pooling, ['cls', 'mean']);
    checkEps(who, 'norm_eps', f.norm_eps);
    checkNumber(who, 'initializer_cutoff_factor', f.initializer_cutoff_factor, { min: 1e-3, max: 100, nullable: true });
    for (const key of ['attention_dropout', 'embedding_dropout', 'mlp_dropout', 'classifier_dropout'] as const) checkProbability(who, key, f[key]);
    for (const key of ['norm_bias', 'attention_bias', 'mlp_bias', 'decoder_bias', 'classifier_bias', 'deterministic_flash_attn', 'sparse_prediction'] as const) checkBoolean(who, key, f[key]);
    if (f.reference_compile !== null) checkBoolean(who, 'reference_compile', f.reference_compile);
    checkNumber(who, 'global_attn_every_n_layers', f.global_attn_every_n_layers, { integer: true, min: 1, max: LIMITS.num_hidden_layers });
    checkNumber(who, 'local_attention', f.local_attention, { integer: true, min: 1, max: LIMITS.max_position_embeddings });
    for (const key of ['global_rope_theta', 'local_rope_theta'] as const) checkNumber(who, key, f[key], { min: 1e-6, max: 1e12 });
    checkNumber(who, 'sparse_pred_ignore_index', f.sparse_pred_ignore_index, { integer: true, min: -(2 ** 31), max: 2 ** 31 - 1 });
    for (const key of ['bos_token_id', 'cls_token_id', 'sep_token_id'] as const) checkNumber(who, key, f[key], { integer: true, min: 0, max: LIMITS.vocab_size, nullable: true });
    const eos = f.eos_token_id as unknown;
    for (const id of Array.isArray(eos) ? eos.slice(0, 1000) : [eos]) checkNumber(who, 'eos_token_id', id, { integer: true, min: 0, max: LIMITS.vocab_size, nullable: !Array.isArray(eos) });
    this.validateLayerTypes();
    this.validateRope();
  }

  // TypeScript private, not #: the base constructor runs validateFields before # members exist.
  private validateLayerTypes(): void {
    const who = this.className;
    const types = this.fields.layer_types as unknown;
    if (types === null) return;
    if (!Array.isArray(types)) throw new TypeError(`${who}: layer_types must be null or an array of 'full_attention' / 'sliding_attention', got ${describeField(types)}`);
    if (types.length !== this.fields.num_hidden_layers) {
      throw new RangeError(`${who}: layer_types has ${types.length} entries, num_hidden_layers is ${this.fields.num_hidden_layers}`);
    }
    types.forEach((type, i) => checkChoice(who, `layer_types[${i}]`, type, LAYER_TYPES));
  }

  private validateRope(): void {
    const who = this.className;
    const rope = this.fields.rope_parameters as unknown;
    if (rope !== null) {
      if (!isPlainObject(rope)) throw new TypeError(`${who}: rope_parameters must be null or an object of layer type → rotary settings, got ${describeField(rope)}`);
      for (const [type, settings] of Object.entries(rope)) {
        checkChoice(who, 'rope_parameters key', type, LAYER_TYPES);
        if (settings === null) continue;
        if (!isPlainObject(settings)) throw new TypeError(`${who}: rope_parameters.${type} must be an object, got ${describeField(settings)}`);
        if (settings.rope_type !== undefined) checkChoice(who, `rope_parameters.${type}.rope_type`, settings.rope_type, ['default']);
        if (settings.rope_theta !== undefined) checkNumber(who, `rope_parameters.${type}.rope_theta`, settings.rope_theta, { min: 1e-6, max: 1e12 });
      }
    }
    // transformers 4's rope_scaling, applied by transformers 5 to both layer types: only the plain rotation is implemented.
    const scaling = this.extra.rope_scaling;
    if (scaling !== undefined && scaling !== null) {
      const kind = isPlainObject(scaling) ? (scaling.rope_type ?? scaling.type) : scaling;
      if (kind !== 'default') throw new RangeError(`${who}: rope_scaling ${describeValue(kind)} is not supported (only 'default' rotary embeddings)`);
    }
  }

  /**
   * config.json as transformers 5 writes it (layer_types and rope_parameters spelled out), with
   * transformers 4's global_rope_theta, local_rope_theta and, where the pattern is periodic,
   * global_attn_every_n_layers, so that both read the folder alike.
   */
  override toJSON(): Record<string, unknown> {
    const { reference_compile: _notWritten, ...json } = super.toJSON();
    const types = this.layerTypes;
    const period = Array.from({ length: types.length }, (_, i) => i + 1).find((n) => periodicLayerTypes(types.length, n).every((type, i) => type === types[i]));
    const given = this.fields.rope_parameters ?? {};
    const rope = Object.fromEntries(LAYER_TYPES.map((type) => [type, { ...given[type], rope_type: 'default', rope_theta: this.ropeTheta(type) }]));
    const written: Record<string, unknown> = {
      ...json,
      layer_types: types,
      rope_parameters: rope,
      global_rope_theta: this.ropeTheta('full_attention'),
      local_rope_theta: this.ropeTheta('sliding_attention'),
      global_attn_every_n_layers: period,
    };
    // A pattern no period describes (a custom layer_types) is layer_types alone.
    if (period === undefined) delete written.global_attn_every_n_layers;
    return written;
  }
}

/** The config argument of every ModernBERT module, or a TypeError naming the module. */
export function expectModernBertConfig(value: unknown, who: string): asserts value is ModernBertConfig {
  expectConfig(value, ModernBertConfig, who);
}
