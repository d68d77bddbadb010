// Dropout and the activations as modules, for Sequential and for printing a model.
import { describeValue } from '../torch/describe.js';
import { dropout, gelu } from '../torch/functional.js';
import type { Tensor } from '../torch/tensor.js';
import { Module } from './module.js';

/** Zeroes elements with probability p while training; the identity in eval mode. */
export class Dropout extends Module {
  readonly p: number;

  constructor(p = 0.5) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout probability must be in [0, 1], got ${describeValue(p)}`);
    this.p = p;
  }

  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training);
  }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = options.approximate ?? 'none';
  }

  forward(input: Tensor): Tensor {
    return gelu(input, this.approximate);
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return input.tanh();
  }
}

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return input.relu();
  }
}
