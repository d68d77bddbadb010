import type { Tensor } from '../../torch/tensor.js';
import type { HiddenAct } from './config.js';

/** transformers' ACT2FN for the activations BERT configs use. */
export function activation(name: HiddenAct): (x: Tensor) => Tensor {
  switch (name) {
    case 'gelu':
      return (x) => x.gelu();
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast': // the same tanh approximation, written out differently
      return (x) => x.gelu('tanh');
    case 'quick_gelu':
      return (x) => x.mul(x.mul(1.702).sigmoid());
    case 'relu':
      return (x) => x.relu();
    case 'silu':
    case 'swish':
      return (x) => x.silu();
    case 'tanh':
      return (x) => x.tanh();
  }
}
