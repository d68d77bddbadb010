// torch.linalg: the decompositions lib/ needs, through libtorch's own kernels (LAPACK/MKL).
import { atenOps, callOp } from './ops.js';
import { Tensor } from './tensor.js';

const op = atenOps({
  choleskyEx: 'aten::linalg_cholesky_ex',
});

function checkSquare(name: string, a: Tensor): void {
  if (!(a instanceof Tensor)) throw new TypeError(`torch.linalg.${name}(): input must be a Tensor`);
  const s = a.shape;
  if (s.length < 2 || s[s.length - 1] !== s[s.length - 2]) {
    throw new RangeError(`torch.linalg.${name}(): expected a square matrix (or a batch of them), got shape [${s.join(', ')}]`);
  }
}

/**
 * The Cholesky factor L (A = L Lᵀ) and, as torch.linalg.cholesky_ex, `info`: 0 where A is
 * positive definite, else the order of the leading minor that is not. Never throws for a
 * matrix that is not positive definite, so it doubles as the test for one.
 */
export function choleskyEx(a: Tensor, options: { upper?: boolean } = {}): { L: Tensor; info: Tensor } {
  checkSquare('choleskyEx', a);
  const [L, info] = Tensor.wrapAll(callOp(op.choleskyEx, a.handle, options.upper ?? false, false));
  return { L: L!, info: info! };
}

/** The Cholesky factor L of a positive-definite A (A = L Lᵀ); an error names a matrix that is not. */
export function cholesky(a: Tensor, options: { upper?: boolean } = {}): Tensor {
  const { L, info } = choleskyEx(a, options);
  const failed = info.ne(0).any();
  const bad = failed.item() as boolean;
  failed.dispose();
  info.dispose();
  if (bad) {
    L.dispose();
    throw new RangeError('torch.linalg.cholesky(): the matrix is not positive definite');
  }
  return L;
}
