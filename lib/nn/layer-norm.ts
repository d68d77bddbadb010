import { checkDenseArray } from '../torch/arrays.js';
import { describeValue } from '../torch/describe.js';
import { empty, type TensorOptions } from '../torch/creation.js';
import { layerNorm } from '../torch/functional.js';
import type { Tensor } from '../torch/tensor.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Normalises over the last dimensions, then scales (weight) and shifts (bias). */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;

  constructor(normalizedShape: number | number[], options: { eps?: number; elementwiseAffine?: boolean; bias?: boolean } & Pick<TensorOptions, 'dtype' | 'device'> = {}) {
    super();
    if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) throw new TypeError(`LayerNorm(): normalizedShape must be a number or an array of numbers, got ${describeValue(normalizedShape)}`);
    if (Array.isArray(normalizedShape)) checkDenseArray(normalizedShape, 'LayerNorm(): normalizedShape');
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    const factory = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', affine ? new Parameter(empty(this.normalizedShape, factory)) : null);
    this.registerParameter('bias', affine && options.bias !== false ? new Parameter(empty(this.normalizedShape, factory)) : null);
    this.resetParameters();
  }

  get weight(): Parameter | null {
    return this.parameter('weight');
  }

  get bias(): Parameter | null {
    return this.parameter('bias');
  }

  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
