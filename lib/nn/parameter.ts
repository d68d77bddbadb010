import { native } from '../native.js';
import { keep } from '../torch/scope.js';
import { Tensor, handleOf } from '../torch/tensor.js';
import { atenOps, callOp } from '../torch/ops.js';

const op = atenOps({ detach: 'aten::detach' });

/**
 * A tensor that a Module owns and an optimizer updates. It shares storage with the tensor
 * it was made from, requires grad by default, and belongs to no scope.
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(callOp(op.detach, handleOf(data, 'Parameter(data)')) as number);
    keep(this);
    if (requiresGrad) native.setRequiresGrad(this.handle, true);
  }
}
