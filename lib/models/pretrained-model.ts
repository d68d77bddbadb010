// PreTrainedModel: what every family's model shares. Initialisation as transformers does it,
// loading a Hugging Face folder of the family (whatever head it was saved with), saving one
// transformers loads, tied weights, and vocabulary resizing. A family declares its config
// class, the attribute its heads keep the base model under, its architecture names and its
// tied keys; nothing here names a family.
import { join } from 'node:path';

import { Embedding } from '../nn/embedding.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { Linear } from '../nn/linear.js';
import { Module, type StateDict } from '../nn/module.js';
import { Parameter } from '../nn/parameter.js';
import { normal_, ones_, zeros_ } from '../nn/init.js';
import { resolveModelDir } from '../hub/snapshot.js';
import type { HubOptions } from '../hub/hub-context.js';
import { loadCheckpointAsync, readConfig, saveCheckpointAsync } from '../io/hf-checkpoint.js';
import { formatBytes, memoryLimit } from '../io/weight-file.js';
import { noGrad } from '../torch/autograd.js';
import { cat, zeros, empty, randn } from '../torch/creation.js';
import type { Device } from '../torch/device.js';
import { isFloatingPoint, type DType } from '../torch/dtype.js';
import { choleskyEx } from '../torch/linalg.js';
import { describeValue } from '../torch/describe.js';
import { tidy } from '../torch/scope.js';
import type { Tensor } from '../torch/tensor.js';
import { LIMITS } from './limits.js';
import { configFromJSON, type ConfigClass, type ConfigInput, type PretrainedConfig } from './pretrained-config.js';

/** An MLM head with a decoder tied to the word embeddings (or not) and a bias of its own. */
export interface TiedLmHead {
  readonly tiedToEmbeddings: boolean;
  readonly decoder: Linear;
  readonly bias: Parameter;
  tie(wordEmbeddings: Parameter): void;
  setBias(bias: Parameter, wordEmbeddings: Parameter): void;
  setDecoder(weight: Parameter, bias: Parameter): void;
}

export interface LoadReport {
  /** Weights the model has and the folder lacked: initialised fresh (a new head). */
  missingKeys: string[];
  /** Weights the folder has and the model does not use (another head). */
  unexpectedKeys: string[];
  /** Legacy names fixed on the way in, old → new. */
  renamed: Record<string, string>;
}

/** `revision`, `cacheDir`, `token`, `offline` and `onProgress` are for hub ids (see resolveModelDir). */
export interface FromPretrainedOptions extends HubOptions {
  device?: Device;
  /**
   * The parameters' dtype. By default the folder's own ('auto', as transformers 5 loads): a
   * bfloat16 checkpoint gives a bfloat16 model. Pass 'float32' to train full-precision master
   * weights (with autocast for bfloat16 speed), as the plm-torch command does.
   */
  dtype?: DType | 'auto';
  /** Config fields to change, such as { num_labels: 3 } for a new classification head. */
  config?: ConfigInput<Record<string, unknown>>;
}

/** What a model class declares about itself (statics, not constructor.name, which minifiers change). */
export interface ModelClass<M extends PreTrainedModel = PreTrainedModel> {
  new (config: never): M;
  /** The family's config class, which parses config.json. */
  readonly configClass: ConfigClass;
  /** The attribute the heads keep the base model under ('bert', 'roberta', 'model'), as transformers' base_model_prefix. */
  readonly baseModelPrefix: string;
  /** The name written to config.json's architectures ('BertForMaskedLM'). */
  readonly architecture: string;
  /** The family as messages name it ('BERT'). */
  readonly familyName: string;
}

export abstract class PreTrainedModel<C extends PretrainedConfig = PretrainedConfig> extends Module {
  readonly config: C;
  /** Set by fromPretrained: what was new and what went unused. */
  loadReport: LoadReport | undefined;

  constructor(config: C) {
    super();
    const cls = new.target as unknown as ModelClass;
    if (!(config instanceof cls.configClass)) throw new TypeError(`a ${cls.familyName} model needs a ${cls.configClass.className}`);
    PreTrainedModel.checkFitsInMemory(config);
    this.config = config;
  }

  /** The class as it declared itself. */
  get modelClass(): ModelClass {
    return this.constructor as unknown as ModelClass;
  }

  /**
   * Refuses a config whose parameters, built as they are (float32 on the CPU), need more memory
   * than this machine has: found out by allocating, that ends the process (the kernel's OOM
   * killer), not in an error. From the sizes alone, before anything is allocated.
   */
  static checkFitsInMemory(config: PretrainedConfig): void {
    const bytes = config.parameterCount * 4;
    const limit = memoryLimit();
    if (bytes > limit) {
      throw new RangeError(
        `${config.className}: a model of ${(config.parameterCount / 1e6).toFixed(0)} million parameters needs ${formatBytes(bytes)} in float32 to build, ` +
          `more than this machine's ${formatBytes(limit)} of memory`,
      );
    }
  }

  /** The dotted prefix of the base model inside this model: '' for the bare encoder, 'bert.' for the heads. */
  get basePrefix(): string {
    return '';
  }

  /** Keys whose absence, all of them, means the folder holds another kind of model. */
  protected get encoderKeyPrefix(): string {
    return `${this.basePrefix}encoder.`;
  }

  /** Buffers that checkpoints carry and the model rebuilds itself (position ids and the like). */
  protected get ignoredOnLoad(): RegExp[] {
    return [/(^|\.)position_ids$/, /(^|\.)token_type_ids$/];
  }

  /**
   * State-dict keys that alias another parameter (alias → owner): left out of saved files, and
   * on load the owner's weights win, as in transformers.
   */
  get tiedWeights(): Record<string, string> {
    const lm = this.tiedLmHead;
    if (!lm?.head.tiedToEmbeddings) return {};
    return { [`${lm.key}.decoder.weight`]: `${this.basePrefix}embeddings.word_embeddings.weight`, [`${lm.key}.decoder.bias`]: `${lm.key}.bias` };
  }

  /** Keys older folders may lack, and where to take them from instead (key → source key). */
  get checkpointFallbacks(): Record<string, string> {
    const lm = this.tiedLmHead;
    // transformers 4 saved an untied head's bias only as <head>.bias.
    if (!lm || lm.head.tiedToEmbeddings) return {};
    return { [`${lm.key}.decoder.bias`]: `${lm.key}.bias` };
  }

  /**
   * The MLM head whose decoder is tied to the word embeddings with a bias of the head's own
   * (BERT's, RoBERTa's, DeBERTa-v2's), and its key in the state dict ('cls.predictions',
   * 'lm_head'); null for none. The core then names its aliases, zeroes its bias, re-ties it
   * and resizes it, as transformers does for all of them.
   */
  protected get tiedLmHead(): { head: TiedLmHead; key: string } | null {
    return null;
  }

  /** The standard deviation of the normal initialisation (config.initializer_range). */
  protected get initStd(): number {
    return this.config.fields.initializer_range;
  }

  /** transformers' _init_weights over every submodule. */
  initWeights(): void {
    const std = this.initStd;
    // A tied parameter (the decoder's weight is the word embeddings) is initialised once, by
    // the module that owns it first, so the padding row stays zero.
    const done = new Set<Parameter>();
    const first = (p: Parameter | null): p is Parameter => p !== null && !done.has(p) && done.add(p) !== undefined;
    noGrad(() => {
      for (const m of this.modules()) {
        if (m instanceof Linear) {
          if (first(m.weight)) normal_(m.weight, 0, std);
          if (first(m.bias)) zeros_(m.bias);
        } else if (m instanceof Embedding) {
          if (!first(m.weight)) continue;
          normal_(m.weight, 0, std);
          if (m.paddingIdx !== null) {
            const row = m.weight.select(0, m.paddingIdx);
            zeros_(row);
            row.dispose();
          }
        } else if (m instanceof LayerNorm) {
          if (first(m.weight)) ones_(m.weight);
          if (first(m.bias)) zeros_(m.bias);
        }
      }
      this.initHeads();
    });
  }

  /** Heads with parameters outside Linear/Embedding/LayerNorm (the MLM bias) set them here. */
  protected initHeads(): void {
    const lm = this.tiedLmHead;
    if (lm) zeros_(lm.head.bias);
  }

  /** The word embeddings, for tying and resizing. */
  abstract get wordEmbeddings(): Embedding;

  /** Re-ties output embeddings after the word embeddings changed. */
  protected retie(): void {
    this.tiedLmHead?.head.tie(this.wordEmbeddings.weight);
  }

  /**
   * Grows (or shrinks) the vocabulary to n tokens: existing rows are kept, and the MLM decoder
   * stays tied. New rows start, as in transformers 5, at the mean of the old rows (drawn from
   * a normal with their mean and 1e-9 times their covariance), so a new domain word starts as
   * an average word rather than as noise; `meanResizing: false` draws them from
   * N(0, initializer_range) instead.
   */
  resizeTokenEmbeddings(n: number, options: { meanResizing?: boolean } = {}): void {
    if (!Number.isInteger(n) || n < 1 || n > LIMITS.vocab_size) throw new RangeError(`resizeTokenEmbeddings(): n must be an integer in [1, ${LIMITS.vocab_size}], got ${describeValue(n)}`);
    const pad = this.config.fields.pad_token_id;
    if (pad !== null && n <= pad) throw new RangeError(`resizeTokenEmbeddings(${n}) would drop the padding token (pad_token_id ${pad})`);
    const meanResizing = options.meanResizing ?? true;
    const embedding = this.wordEmbeddings;
    const rows = embedding.weight.shape[0]!;
    if (n === rows) return;
    const weight = this.resizedRows(embedding.weight, n, meanResizing);
    embedding.registerParameter('weight', new Parameter(weight));
    weight.dispose();
    (embedding as { numEmbeddings: number }).numEmbeddings = n;
    (this.config.fields as { vocab_size: number }).vocab_size = n;
    this.resizeHeads(rows, n, meanResizing);
    this.retie();
  }

  /** Heads sized by the vocabulary (the MLM bias, an untied decoder) follow a resize here. */
  protected resizeHeads(_oldSize: number, newSize: number, meanResizing: boolean): void {
    const lm = this.tiedLmHead;
    if (lm) this.resizeTiedLmHead(lm.head, newSize, meanResizing);
  }

  /**
   * resizeHeads for an MLM head whose decoder is tied to the word embeddings with a bias of the
   * head's own (BERT's, RoBERTa's, DeBERTa's): the bias grows with zeros; an untied decoder is
   * an output embedding of its own, resized the same way as the word embeddings, its new bias
   * entries at the old ones' mean under mean resizing, as transformers does.
   */
  protected resizeTiedLmHead(head: TiedLmHead, n: number, meanResizing: boolean): void {
    if (!head.tiedToEmbeddings) {
      const weight = this.resizedRows(head.decoder.weight, n, meanResizing);
      head.setDecoder(new Parameter(weight), PreTrainedModel.resizedBias(head.decoder.bias!, n, meanResizing));
      weight.dispose();
    }
    head.setBias(PreTrainedModel.resizedBias(head.bias, n), this.wordEmbeddings.weight);
  }

  /**
   * resizeHeads for a decoder Linear whose weight is the word embeddings when tied and whose bias
   * is its own (ELECTRA's generator_lm_head, DistilBERT's vocab_projector, ModernBERT's decoder):
   * untied, the weight is an output embedding of its own, resized as the word embeddings, and
   * the new bias entries are the old ones' mean under mean resizing; tied, transformers pads the
   * bias with zeros.
   */
  protected resizeTiedDecoder(decoder: Linear, tied: boolean, n: number, meanResizing: boolean): void {
    if (!tied) {
      const weight = this.resizedRows(decoder.weight, n, meanResizing);
      decoder.registerParameter('weight', new Parameter(weight));
      weight.dispose();
    }
    if (decoder.bias) decoder.registerParameter('bias', PreTrainedModel.resizedBias(decoder.bias, n, meanResizing && !tied));
    (decoder as { outFeatures: number }).outFeatures = n;
  }

  /** An embedding matrix with n rows: the old rows kept, new ones initialised (see resizeTokenEmbeddings). */
  protected resizedRows(old: Tensor, n: number, meanResizing: boolean): Tensor {
    if (!old || typeof old !== 'object' || !Array.isArray(old.shape) || old.shape.length !== 2) throw new TypeError(`resizedRows(): expected a 2-D tensor, got ${describeValue(old)}`);
    const [rows, dim] = old.shape as [number, number];
    return noGrad(() =>
      tidy(() => {
        const fresh = empty([n, dim], { dtype: old.dtype, device: old.device });
        const keep = Math.min(rows, n);
        fresh.narrow(0, 0, keep).copy_(old.narrow(0, 0, keep));
        if (n > rows) {
          const added = fresh.narrow(0, rows, n - rows);
          if (meanResizing) added.copy_(rowsNearTheMean(old, n - rows));
          else normal_(added, 0, this.config.fields.initializer_range);
        }
        return fresh;
      }),
    );
  }

  /** Grows or shrinks a 1-D bias to n entries, new ones zero (or the old entries' mean). */
  protected static resizedBias(bias: Parameter, n: number, atTheMean = false): Parameter {
    if (!(bias instanceof Parameter) || bias.dim() !== 1) throw new TypeError(`resizedBias(): bias must be a 1-D Parameter, got ${describeValue(bias)}`);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`resizedBias(): n must be a positive integer, got ${describeValue(n)}`);
    return noGrad(() =>
      tidy(() => {
        const old = bias.shape[0]!;
        const kept = bias.narrow(0, 0, Math.min(old, n));
        if (n <= old) return new Parameter(kept.clone());
        const added = zeros([n - old], { dtype: bias.dtype, device: bias.device });
        if (atTheMean) added.add_(bias.float().mean().to({ dtype: bias.dtype }));
        return new Parameter(cat([kept, added]));
      }),
    );
  }

  /**
   * Reads and checks a folder's config.json with this class's config class, options.config
   * applied: a config that can only be a mistake is refused before gigabytes of weights are read.
   */
  static readPretrainedConfig(cls: ModelClass, dir: string, changes?: ConfigInput<Record<string, unknown>>): PretrainedConfig {
    const json = readConfig(dir);
    if (!json) throw new Error(`${dir} has no config.json`);
    let config: PretrainedConfig;
    try {
      config = configFromJSON(cls.configClass, json);
    } catch (err) {
      if (err instanceof Error) err.message = `${join(dir, 'config.json')}: ${err.message}`;
      throw err;
    }
    if (changes) config = config.with(changes);
    PreTrainedModel.checkFitsInMemory(config);
    return config;
  }

  /**
   * Loads a Hugging Face folder of this family into this class, whatever head the folder was
   * saved with: weights for this model's encoder and head load by name, a head the folder lacks
   * is initialised, and `loadReport` says what was new and what went unused. A hub id
   * ('org/name', with options.revision) is downloaded into huggingface_hub's cache first.
   */
  static async fromPretrained<M extends PreTrainedModel>(this: ModelClass<M>, idOrDir: string, options: FromPretrainedOptions = {}): Promise<M> {
    // A hub id becomes its cached snapshot folder (downloaded when needed); a folder stays itself.
    const dir = await resolveModelDir(idOrDir, options);
    const config = PreTrainedModel.readPretrainedConfig(this, dir, options.config);
    return PreTrainedModel.loadInto(new this(config as never), dir, options);
  }

  /** Fills a freshly built model with a folder's weights (see fromPretrained). */
  static async loadInto<M extends PreTrainedModel>(model: M, dir: string, options: FromPretrainedOptions = {}): Promise<M> {
    const checkpoint = await loadCheckpointAsync(dir);
    const storedDtype = Object.values(checkpoint.stateDict).find((t) => isFloatingPoint(t.dtype))?.dtype;
    let notThisFamily: string | null = null;
    try {
      const modelKeys = Object.keys(model.stateDict());
      const mapped = mapPrefix(checkpoint.stateDict, model.basePrefix, model.modelClass.baseModelPrefix, modelKeys, model.ignoredOnLoad);
      // A copy: keys are added and removed below, and the finally clause must still see (and
      // dispose) every tensor the checkpoint held.
      const weights = { ...mapped.stateDict };
      for (const [key, source] of Object.entries(model.checkpointFallbacks)) if (!(key in weights) && source in weights) weights[key] = weights[source]!;
      const tiedWeights = model.tiedWeights;
      const tied = new Set(Object.keys(tiedWeights));
      for (const [alias, owner] of Object.entries(tiedWeights)) {
        // An alias is the owner's tensor: a folder holding both (older transformers wrote
        // both) loads the owner's, and a folder holding only the alias fills the owner.
        if (!(alias in weights)) continue;
        if (!(owner in weights)) weights[owner] = weights[alias]!;
        delete weights[alias];
      }
      const result = model.loadStateDict(weights, { strict: false, ignoreUnexpected: model.ignoredOnLoad });
      const missing = new Set(result.missingKeys);
      const encoder = modelKeys.filter((k) => k.startsWith(model.encoderKeyPrefix));
      if (encoder.length > 0 && encoder.every((k) => missing.has(k))) {
        // Every encoder weight missing: loading would hand back a randomly initialised model.
        const held = Object.keys(checkpoint.stateDict);
        notThisFamily =
          `none of the encoder's weights (${encoder[0]}, …) are in the folder, which holds ${held.length} tensor(s)` +
          `${held.length > 0 ? ` such as ${held.slice(0, 3).join(', ')}` : ''}: not a ${model.modelClass.familyName} checkpoint, or its weights are nested under another key`;
      }
      model.loadReport = {
        missingKeys: result.missingKeys.filter((k) => !tied.has(k)),
        unexpectedKeys: [...mapped.dropped, ...result.unexpectedKeys],
        renamed: checkpoint.renamed,
      };
    } catch (err) {
      const message = (err as Error).message;
      throw new Error(`${dir}: the weights do not fit the config: ${message}`);
    } finally {
      for (const t of Object.values(checkpoint.stateDict)) t.dispose();
    }
    if (notThisFamily) throw new Error(`${dir}: ${notThisFamily}`);
    const dtype = options.dtype === undefined || options.dtype === 'auto' ? storedDtype : options.dtype;
    if (options.device || (dtype && dtype !== 'float32')) model.to({ device: options.device, dtype });
    return model;
  }

  /**
   * Writes config.json (with `architectures` and the weights' `dtype`, float fields as floats)
   * and model.safetensors without tied duplicates.
   */
  async savePretrained(dir: string): Promise<void> {
    const tied = new Set(Object.keys(this.tiedWeights));
    const stateDict: StateDict = {};
    for (const [k, v] of Object.entries(this.stateDict())) if (!tied.has(k)) stateDict[k] = v;
    const dtype = this.parameters().find((p) => isFloatingPoint(p.dtype))?.dtype ?? 'float32';
    const config: Record<string, unknown> = { ...this.config.toJSON(), architectures: [this.modelClass.architecture], dtype };
    // transformers 4 wrote torch_dtype; a stale one must not contradict the weights.
    if ('torch_dtype' in config) config.torch_dtype = dtype;
    await saveCheckpointAsync(dir, stateDict, this.config.toJSONText(config));
  }
}

/**
 * Fits checkpoint keys to a model: a head model ('bert.' prefix) reading a bare encoder gets
 * the prefix added; a bare encoder reading a head model's folder takes the prefixed keys and
 * drops the rest.
 */
function mapPrefix(
  stateDict: Record<string, Tensor>,
  prefix: string,
  baseModelPrefix: string,
  modelKeys: string[],
  ignored: RegExp[],
): { stateDict: Record<string, Tensor>; dropped: string[] } {
  const base = `${baseModelPrefix}.`;
  const keys = Object.keys(stateDict);
  const prefixed = keys.some((k) => k.startsWith(base));
  if (prefix === base && !prefixed && modelKeys.some((k) => k.startsWith(base))) {
    return { stateDict: Object.fromEntries(keys.map((k) => [`${base}${k}`, stateDict[k]!])), dropped: [] };
  }
  if (prefix === '' && prefixed) {
    const mapped: Record<string, Tensor> = {};
    const dropped: string[] = [];
    for (const k of keys) {
      if (k.startsWith(base)) mapped[k.slice(base.length)] = stateDict[k]!;
      else if (!ignored.some((re) => re.test(k))) dropped.push(k);
    }
    return { stateDict: mapped, dropped };
  }
  return { stateDict, dropped: [] };
}

/**
 * `count` rows for new vocabulary entries, as transformers 5's mean resizing: samples of a
 * normal with the old rows' mean and 1e-9 times their covariance (in float32), or the mean
 * itself when that covariance is not positive definite.
 */
function rowsNearTheMean(old: Tensor, count: number): Tensor {
  const weights = old.to({ dtype: 'float32' });
  const [rows, dim] = weights.shape as [number, number];
  const mean = weights.mean(0);
  const centered = weights.sub(mean);
  const covariance = centered.t().matmul(centered).div(rows).mul(1e-9);
  const { L, info } = choleskyEx(covariance);
  const positiveDefinite = info.item() === 0;
  const sampled = positiveDefinite
    ? randn([count, dim], { device: old.device }).matmul(L.t()).add(mean)
    : mean.unsqueeze(0).expand([count, dim]);
  return sampled.to({ dtype: old.dtype });
}
