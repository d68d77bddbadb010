import { empty, type TensorOptions } from '../torch/creation.js';
import { noGrad } from '../torch/autograd.js';
import { describeValue } from '../torch/describe.js';
import { embedding } from '../torch/functional.js';
import type { Tensor } from '../torch/tensor.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** A lookup table of vectors; the paddingIdx row starts at zero and gets no gradient. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;

  constructor(numEmbeddings: number, embeddingDim: number, options: { paddingIdx?: number | null } & Pick<TensorOptions, 'dtype' | 'device'> = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let paddingIdx = options.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (!Number.isInteger(paddingIdx) || paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
        throw new RangeError(`paddingIdx must be within the ${numEmbeddings} embeddings, got ${describeValue(paddingIdx)}`);
      }
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    this.paddingIdx = paddingIdx;
    this.registerParameter('weight', new Parameter(empty([numEmbeddings, embeddingDim], { dtype: options.dtype, device: options.device })));
    this.resetParameters();
  }

  get weight(): Parameter {
    return this.parameter('weight')!;
  }

  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => {
        const r = this.weight.select(0, row);
        r.zero_().dispose();
        r.dispose();
      });
    }
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }
}
