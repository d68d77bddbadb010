// The encoder: the layers, the relative embeddings they share (LayerNorm-ed when norm_rel_ebd
// says so), the relative positions of the sequence, and the optional convolution after the
// first layer.
import { ModuleList } from '../../nn/containers.js';
import { Embedding } from '../../nn/embedding.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import { tidy } from '../../torch/scope.js';
import type { Device } from '../../torch/device.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectDebertaV2Config, type DebertaV2Config } from './config.js';
import { ConvLayer } from './conv.js';
import { DebertaV2Layer } from './layer.js';
import { buildRelativePosition } from './relative-position.js';

export interface EncoderOutput {
  lastHiddenState: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

export class DebertaV2Encoder extends Module {
  readonly layer: ModuleList<DebertaV2Layer>;
  readonly relEmbeddings: Embedding | null = null;
  readonly layerNorm: LayerNorm | null = null;
  readonly conv: ConvLayer | null = null;
  readonly relativeAttention: boolean;
  readonly positionBuckets: number;
  readonly maxRelativePositions: number;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new DebertaV2Encoder()');
    const c = config.fields;
    this.layer = this.registerModule('layer', new ModuleList(Array.from({ length: c.num_hidden_layers }, () => new DebertaV2Layer(config))));
    this.relativeAttention = c.relative_attention;
    this.positionBuckets = c.position_buckets;
    this.maxRelativePositions = config.maxRelativePositions;
    if (this.relativeAttention) this.relEmbeddings = this.registerModule('rel_embeddings', new Embedding(2 * config.relativeEmbeddingSpan, c.hidden_size));
    // Built whenever norm_rel_ebd names it, with relative attention or not, as in transformers.
    if (config.normRelEmbeddings) this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
    if (c.conv_kernel_size > 0) this.conv = this.registerModule('conv', new ConvLayer(config));
  }

  /** The relative embeddings the layers read, or null without relative attention. */
  relEmbedding(): Tensor | null {
    if (!this.relEmbeddings) return null;
    const weight = this.relEmbeddings.weight;
    return this.layerNorm ? this.layerNorm.forward(weight) : weight;
  }

  /** The (1, length, length) relative positions, or null without relative attention. */
  relativePositions(length: number, device: Device): Tensor | null {
    if (!this.relativeAttention) return null;
    return tidy(() => buildRelativePosition(length, length, this.positionBuckets, this.maxRelativePositions, device));
  }

  /** inputMask: (batch, length) 1 for tokens, 0 for padding. */
  forward(hidden: Tensor, inputMask: Tensor, options: { outputHiddenStates?: boolean; outputAttentions?: boolean } = {}): EncoderOutput {
    const [, length] = hidden.shape as [number, number];
    // (batch, 1, length, length): query and key both tokens.
    const extended = inputMask.unsqueeze(1).unsqueeze(2);
    const attentionMask = extended.mul(extended.squeeze(-2).unsqueeze(-1)).to({ dtype: 'bool' });
    const relativePos = this.relativePositions(length, hidden.device);
    const relEmbeddings = this.relEmbedding();
    const hiddenStates: Tensor[] = options.outputHiddenStates ? [hidden] : [];
    const attentions: Tensor[] = [];
    let h = hidden;
    let i = 0;
    for (const layer of this.layer) {
      // A scope per layer frees the layer's temporaries now (autograd keeps what backward needs).
      const out = tidy(() => {
        const step = layer.forward(h, attentionMask, relativePos, relEmbeddings, options.outputAttentions);
        return i === 0 && this.conv ? { hidden: this.conv.forward(hidden, step.hidden, inputMask), probs: step.probs } : step;
      });
      i++;
      h = out.hidden;
      if (options.outputHiddenStates) hiddenStates.push(h);
      if (out.probs) attentions.push(out.probs);
    }
    return {
      lastHiddenState: h,
      ...(options.outputHiddenStates ? { hiddenStates } : {}),
      ...(options.outputAttentions ? { attentions } : {}),
    };
  }
}
