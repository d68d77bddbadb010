import { empty, type TensorOptions } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import { linear } from '../torch/functional.js';
import type { Tensor } from '../torch/tensor.js';
import { fanIn, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** y = x Wᵀ + b, initialised as PyTorch does (Kaiming uniform with a = √5). */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: { bias?: boolean } & Pick<TensorOptions, 'dtype' | 'device'> = {}) {
    super();
    for (const [name, n] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`Linear(): ${name} must be a non-negative integer, got ${describeValue(n)}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const factory = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', new Parameter(empty([outFeatures, inFeatures], factory)));
    this.registerParameter('bias', options.bias === false ? null : new Parameter(empty([outFeatures], factory)));
    this.resetParameters();
  }

  get weight(): Parameter {
    return this.parameter('weight')!;
  }

  get bias(): Parameter | null {
    return this.parameter('bias');
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(fanIn(this.weight)) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }
}
