// DeBERTa-v2's ConvLayer (conv_kernel_size > 0, as in deberta-v2-xlarge): a 1-D convolution
// over the embeddings, padding zeroed, conv_act, added to the first layer's output under a
// LayerNorm, padding zeroed again. The convolution is composed from matmuls (one per kernel
// tap) with the weight and bias stored as nn.Conv1d stores them.
import { Dropout } from '../../nn/activations.js';
import { LayerNorm } from '../../nn/layer-norm.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { cat, empty, zeros } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { expectDebertaV2Config, type DebertaV2Config } from './config.js';

/** nn.Conv1d(channels, channels, kernelSize, padding (k - 1) / 2, groups) over (batch, length, channels). */
export class SameLengthConv1d extends Module {
  readonly channels: number;
  readonly kernelSize: number;
  readonly groups: number;

  constructor(channels: number, kernelSize: number, groups: number) {
    super();
    this.channels = channels;
    this.kernelSize = kernelSize;
    this.groups = groups;
    this.registerParameter('weight', new Parameter(empty([channels, channels / groups, kernelSize])));
    this.registerParameter('bias', new Parameter(zeros([channels])));
  }

  get weight(): Parameter {
    return this.parameter('weight')!;
  }

  get bias(): Parameter {
    return this.parameter('bias')!;
  }

  /** (batch, length, channels) → (batch, length, channels). */
  forward(x: Tensor): Tensor {
    const [batch, length] = x.shape as [number, number];
    const [g, k] = [this.groups, this.kernelSize];
    const width = this.channels / g;
    const pad = (k - 1) / 2;
    const padding = zeros([batch, pad, this.channels], { dtype: x.dtype, device: x.device });
    const padded = pad > 0 ? cat([padding, x, padding], 1) : x;
    let out: Tensor | null = null;
    for (let tap = 0; tap < k; tap++) {
      // (batch, groups, length, in) @ (groups, in, out): tap `tap` of every output channel.
      const window = padded.narrow(1, tap, length).view(batch, length, g, width).transpose(1, 2);
      const w = this.weight.select(2, tap).view(g, width, width).transpose(1, 2);
      const term = window.matmul(w);
      out = out ? out.add(term) : term;
    }
    return out!.transpose(1, 2).reshape(batch, length, this.channels).add(this.bias);
  }
}

export class ConvLayer extends Module {
  readonly conv: SameLengthConv1d;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new ConvLayer()');
    const c = config.fields;
    this.conv = this.registerModule('conv', new SameLengthConv1d(c.hidden_size, c.conv_kernel_size, c.conv_groups));
    this.layerNorm = this.registerModule('LayerNorm', new LayerNorm(c.hidden_size, { eps: c.layer_norm_eps }));
    this.dropout = this.registerModule('dropout', new Dropout(c.hidden_dropout_prob));
    this.#act = activation(c.conv_act);
  }

  /** hidden: the embeddings; residual: the first layer's output; inputMask: (batch, length) 1/0. */
  forward(hidden: Tensor, residual: Tensor, inputMask: Tensor): Tensor {
    const padding = inputMask.eq(0).unsqueeze(-1);
    const out = this.#act(this.dropout.forward(this.conv.forward(hidden).maskedFill(padding, 0)));
    return this.layerNorm.forward(residual.add(out)).mul(inputMask.unsqueeze(2).to({ dtype: residual.dtype }));
  }
}
