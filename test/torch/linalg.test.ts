import t from 'tap';

import { torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

t.test('cholesky: the factor worked out by hand, and L Lᵀ gives A back', async (t) => {
  // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
  const a = torch.tensor([[4, 2], [2, 3]], { dtype: 'float64' });
  const L = torch.linalg.cholesky(a);
  t.ok(maxAbsDiff(L.toArray() as number[][], [[2, 0], [1, Math.SQRT2]]) < 1e-15);
  t.ok(maxAbsDiff(L.matmul(L.t()).toArray() as number[][], [[4, 2], [2, 3]]) < 1e-14);
  const U = torch.linalg.cholesky(a, { upper: true });
  t.ok(maxAbsDiff(U.toArray() as number[][], [[2, 1], [0, Math.SQRT2]]) < 1e-15, 'upper = Lᵀ');
});

t.test('choleskyEx reports a matrix that is not positive definite instead of throwing', async (t) => {
  const ok = torch.linalg.choleskyEx(torch.tensor([[1, 0], [0, 1]]));
  t.equal(ok.info.item(), 0);
  // The leading 1×1 minor is 1 > 0, the 2×2 one is 1 - 4 < 0: info names order 2.
  const bad = torch.linalg.choleskyEx(torch.tensor([[1, 2], [2, 1]]));
  t.equal(bad.info.item(), 2);
  t.throws(() => torch.linalg.cholesky(torch.tensor([[1, 2], [2, 1]])), /not positive definite/);
  t.throws(() => torch.linalg.cholesky(torch.tensor([1, 2, 3])), /square matrix.*\[3\]/);
  t.throws(() => torch.linalg.cholesky(torch.zeros([2, 3])), /square matrix.*\[2, 3\]/);
});
