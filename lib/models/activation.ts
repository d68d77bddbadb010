// The activations encoder configs name (hidden_act, hidden_activation, activation, conv_act,
// pooler_hidden_act, classifier_activation), as transformers' ACT2FN computes them.
import type { Tensor } from '../torch/tensor.js';

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'gelu_fast' | 'quick_gelu' | 'relu' | 'silu' | 'swish' | 'tanh';
export const HIDDEN_ACTS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'quick_gelu', 'relu', 'silu', 'swish', 'tanh'];

/** transformers' ACT2FN for the activations above. */
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
