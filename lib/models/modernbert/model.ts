import type { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { ModuleList } from '../../nn/containers.js';
import { arange } from '../../torch/creation.js';
import { tidy } from '../../torch/scope.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BaseModelOutput, EncoderInputs } from '../tasks.js';
import { layerMasks } from './attention-mask.js';
import type { LayerType, ModernBertConfig } from './config.js';
import { ModernBertEmbeddings } from './embeddings.js';
import { ModernBertEncoderLayer } from './layer.js';
import { ModernBertPreTrainedModel } from './pretrained.js';
import { ModernBertRotaryEmbedding, type RotaryAngles } from './rotary.js';

/** What ModernBERT takes: EncoderInputs; tokenTypeIds, which it has no use for, are ignored. */
export type ModernBertInputs = EncoderInputs;

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** The encoder: embeddings, layers (global and sliding-window attention), final norm. No pooler. */
export class ModernBertModel extends ModernBertPreTrainedModel {
  static readonly architecture: string = 'ModernBertModel';
  readonly embeddings: ModernBertEmbeddings;
  readonly layers: ModuleList<ModernBertEncoderLayer>;
  readonly finalNorm: LayerNorm;
  readonly rotaryEmb: ModernBertRotaryEmbedding;

  constructor(config: ModernBertConfig) {
    super(config);
    const c = config.fields;
    this.embeddings = this.registerModule('embeddings', new ModernBertEmbeddings(config));
    this.layers = this.registerModule('layers', new ModuleList(Array.from({ length: c.num_hidden_layers }, (_, i) => new ModernBertEncoderLayer(config, i))));
    this.finalNorm = this.registerModule('final_norm', new LayerNorm(c.hidden_size, { eps: c.norm_eps, bias: c.norm_bias }));
    this.rotaryEmb = new ModernBertRotaryEmbedding(config);
    this.initWeights();
  }

  get wordEmbeddings(): Embedding {
    return this.embeddings.tokEmbeddings;
  }

  /** Checks ids, shapes and lengths against the config: a clear error instead of a libtorch one. */
  checkInputs(inputs: ModernBertInputs): void {
    const c = this.config.fields;
    const { inputIds } = inputs ?? {};
    if (!inputIds || typeof inputIds !== 'object' || !('handle' in inputIds)) throw new TypeError('inputIds must be a Tensor');
    if (inputIds.dtype !== 'int64' && inputIds.dtype !== 'int32') throw new TypeError(`inputIds must be int64 or int32, got ${inputIds.dtype}`);
    const shape = inputIds.shape;
    if (shape.length !== 2) throw new RangeError(`inputIds must have shape (batch, length), got [${shape.join(', ')}]`);
    if (shape[1]! > c.max_position_embeddings) throw new RangeError(`the sequence length ${shape[1]} exceeds max_position_embeddings (${c.max_position_embeddings})`);
    if (inputIds.numel() > 0) {
      const lo = inputIds.min().item() as number;
      const hi = inputIds.max().item() as number;
      if (lo < 0 || hi >= c.vocab_size) throw new RangeError(`inputIds contains id ${lo < 0 ? lo : hi}, outside the vocabulary of ${c.vocab_size}`);
    }
    const mask = inputs.attentionMask;
    if (mask !== undefined && mask !== null && !sameShape(mask.shape, shape)) throw new RangeError(`attentionMask has shape [${mask.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
    const positions = inputs.positionIds;
    if (positions !== undefined && positions !== null) {
      if (positions.dim() !== 2 || positions.shape[1] !== shape[1] || (positions.shape[0] !== 1 && positions.shape[0] !== shape[0])) {
        throw new RangeError(`positionIds has shape [${positions.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
      }
      if (positions.dtype !== 'int64' && positions.dtype !== 'int32') throw new TypeError(`positionIds must be int64 or int32, got ${positions.dtype}`);
    }
  }

  forward(inputs: ModernBertInputs): BaseModelOutput {
    this.checkInputs(inputs);
    const length = inputs.inputIds.shape[1]!;
    const embedded = this.embeddings.forward(inputs.inputIds);
    const positions = inputs.positionIds ?? arange(length, undefined, 1, { dtype: 'int64', device: embedded.device }).unsqueeze(0);
    const masks = layerMasks(inputs.attentionMask, length, this.config.slidingWindow, embedded.device);
    const angles = new Map<LayerType, RotaryAngles>();
    for (const type of new Set(this.config.layerTypes)) angles.set(type, this.rotaryEmb.forward(positions, type, embedded.dtype));
    const hiddenStates: Tensor[] = inputs.outputHiddenStates ? [embedded] : [];
    const attentions: Tensor[] = [];
    let h = embedded;
    for (const layer of this.layers) {
      // A scope per layer frees its temporaries now (autograd keeps what backward needs).
      const out = tidy(() => layer.forward(h, angles.get(layer.attentionType)!, masks[layer.attentionType], inputs.outputAttentions));
      h = out.hidden;
      if (inputs.outputHiddenStates) hiddenStates.push(h);
      if (out.probs) attentions.push(out.probs);
    }
    const last = this.finalNorm.forward(h);
    // As transformers: the last hidden state listed is the normalised one.
    if (inputs.outputHiddenStates) hiddenStates[hiddenStates.length - 1] = last;
    return {
      lastHiddenState: last,
      poolerOutput: null,
      ...(inputs.outputHiddenStates ? { hiddenStates } : {}),
      ...(inputs.outputAttentions ? { attentions } : {}),
    };
  }
}
