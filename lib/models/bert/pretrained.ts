// What every BERT model shares: initialisation as transformers does it, loading any Hugging
// Face BERT folder (whatever head it was saved with), saving one transformers loads, and
// vocabulary resizing.
import { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import { Module, type StateDict } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { normal_, ones_, zeros_ } from '../../nn/init.js';
import { loadCheckpointAsync, saveCheckpointAsync } from '../../io/hf-checkpoint.js';
import { noGrad } from '../../torch/autograd.js';
import { cat, zeros, empty } from '../../torch/creation.js';
import type { Device } from '../../torch/device.js';
import type { DType } from '../../torch/dtype.js';
import type { Tensor } from '../../torch/tensor.js';
import { BertConfig, type BertConfigFields } from './config.js';

export interface LoadReport {
  /** Weights the model has and the folder lacked: initialised fresh (a new head). */
  missingKeys: string[];
  /** Weights the folder has and the model does not use (another head). */
  unexpectedKeys: string[];
  /** Legacy names fixed on the way in, old → new. */
  renamed: Record<string, string>;
}

export interface FromPretrainedOptions {
  device?: Device;
  dtype?: DType;
  /** Config fields to change, such as { num_labels: 3 } for a new classification head. */
  config?: Partial<BertConfigFields> & { num_labels?: number };
}

// Buffers that checkpoints carry and the model rebuilds itself.
const IGNORED_ON_LOAD = [/(^|\.)position_ids$/, /(^|\.)token_type_ids$/];

export abstract class BertPreTrainedModel extends Module {
  readonly config: BertConfig;
  /** Set by fromPretrained: what was new and what went unused. */
  loadReport: LoadReport | undefined;

  constructor(config: BertConfig) {
    super();
    if (!(config instanceof BertConfig)) throw new TypeError('a BERT model needs a BertConfig');
    this.config = config;
  }

  /** The dotted prefix of the encoder inside this model: '' for BertModel, 'bert.' for the heads. */
  get basePrefix(): string {
    return '';
  }

  /** State-dict keys that alias another parameter and are left out of saved files. */
  get tiedKeys(): string[] {
    return [];
  }

  /** transformers' _init_weights over every submodule. */
  initWeights(): void {
    const std = this.config.fields.initializer_range;
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
  protected initHeads(): void {}

  /** The word embeddings, for tying and resizing. */
  abstract get wordEmbeddings(): Embedding;

  /** Re-ties output embeddings after the word embeddings changed. */
  protected retie(): void {}

  /**
   * Grows (or shrinks) the vocabulary to n tokens: existing rows are kept, new rows
   * initialised as transformers does, and the MLM decoder stays tied.
   */
  resizeTokenEmbeddings(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`resizeTokenEmbeddings(): n must be a positive integer, got ${n}`);
    const embedding = this.wordEmbeddings;
    const old = embedding.weight;
    const [rows, dim] = old.shape as [number, number];
    if (n === rows) return;
    const weight = noGrad(() => {
      const fresh = empty([n, dim], { dtype: old.dtype, device: old.device });
      normal_(fresh, 0, this.config.fields.initializer_range);
      const keep = Math.min(rows, n);
      const target = fresh.narrow(0, 0, keep);
      const source = old.narrow(0, 0, keep);
      target.copy_(source).dispose();
      target.dispose();
      source.dispose();
      return fresh;
    });
    embedding.registerParameter('weight', new Parameter(weight));
    weight.dispose();
    (embedding as { numEmbeddings: number }).numEmbeddings = n;
    (this.config.fields as { vocab_size: number }).vocab_size = n;
    this.resizeHeads(rows, n);
    this.retie();
  }

  /** Heads sized by the vocabulary (the MLM bias) follow a resize here. */
  protected resizeHeads(_oldSize: number, _newSize: number): void {}

  /** Grows or shrinks a 1-D bias to n entries, new ones zero. */
  protected static resizedBias(bias: Parameter, n: number): Parameter {
    return noGrad(() => {
      const old = bias.shape[0]!;
      const kept = bias.narrow(0, 0, Math.min(old, n));
      const grown = n > old ? cat([kept, zeros([n - old], { dtype: bias.dtype, device: bias.device })]) : kept.clone();
      const p = new Parameter(grown);
      kept.dispose();
      grown.dispose();
      return p;
    });
  }

  /**
   * Loads a Hugging Face BERT folder into this class, whatever head the folder was saved with:
   * weights for this model's encoder and head load by name, a head the folder lacks is
   * initialised, and `loadReport` says what was new and what went unused.
   */
  static async fromPretrained<M extends BertPreTrainedModel>(
    this: new (config: BertConfig) => M,
    dir: string,
    options: FromPretrainedOptions = {},
  ): Promise<M> {
    const checkpoint = await loadCheckpointAsync(dir);
    if (!checkpoint.config) throw new Error(`${dir} has no config.json`);
    let config = BertConfig.fromJSON(checkpoint.config);
    if (options.config) config = config.with(options.config);
    const model = new this(config);
    try {
      const mapped = mapPrefix(checkpoint.stateDict, model.basePrefix, Object.keys(model.stateDict()));
      const tied = new Set(model.tiedKeys);
      const result = model.loadStateDict(mapped.stateDict, { strict: false, ignoreUnexpected: IGNORED_ON_LOAD });
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
    if (options.device || options.dtype) model.to({ device: options.device, dtype: options.dtype });
    return model;
  }

  /** Writes config.json (with `architectures`) and model.safetensors without tied duplicates. */
  async savePretrained(dir: string): Promise<void> {
    const tied = new Set(this.tiedKeys);
    const stateDict: StateDict = {};
    for (const [k, v] of Object.entries(this.stateDict())) if (!tied.has(k)) stateDict[k] = v;
    const config = { ...this.config.toJSON(), architectures: [this.constructor.name] };
    await saveCheckpointAsync(dir, stateDict, config);
  }
}

/**
 * Fits checkpoint keys to a model: a head model ('bert.' prefix) reading a bare encoder gets
 * the prefix added; a bare encoder reading a head model's folder takes the 'bert.' keys and
 * drops the rest.
 */
function mapPrefix(stateDict: Record<string, Tensor>, prefix: string, modelKeys: string[]): { stateDict: Record<string, Tensor>; dropped: string[] } {
  const keys = Object.keys(stateDict);
  const prefixed = keys.some((k) => k.startsWith('bert.'));
  if (prefix === 'bert.' && !prefixed && modelKeys.some((k) => k.startsWith('bert.'))) {
    return { stateDict: Object.fromEntries(keys.map((k) => [`bert.${k}`, stateDict[k]!])), dropped: [] };
  }
  if (prefix === '' && prefixed) {
    const mapped: Record<string, Tensor> = {};
    const dropped: string[] = [];
    for (const k of keys) {
      if (k.startsWith('bert.')) mapped[k.slice(5)] = stateDict[k]!;
      else if (!IGNORED_ON_LOAD.some((re) => re.test(k))) dropped.push(k);
    }
    return { stateDict: mapped, dropped };
  }
  return { stateDict, dropped: [] };
}
