import type { Tensor } from '../../torch/tensor.js';
import type { HiddenAct } from './config.js';

/** transformers' ACT2FN for the activations BERT configs use. */
export function activation(name: HiddenAct): (x: Tensor) => Tensor {
  switch (name) {
    case 'gelu':
      return (x) => x.gelu();
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return (x) => x.gelu('tanh');
    case 'relu':
      return (x) => x.relu();
    case 'tanh':
      return (x) => x.tanh();
  }
}
