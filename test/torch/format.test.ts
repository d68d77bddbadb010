import t from 'tap';
import { inspect } from 'node:util';

import { torch } from '../../lib/index.js';

t.test('prints as PyTorch does', async (t) => {
  t.equal(inspect(torch.tensor([[1, 2], [3, 4]])), 'tensor([[1., 2.],\n        [3., 4.]])');
  t.equal(inspect(torch.tensor([1.5, -2.25])), 'tensor([ 1.5000, -2.2500])');
  t.equal(inspect(torch.tensor(3.5)), 'tensor(3.5000)');
  t.equal(inspect(torch.arange(3)), 'tensor([0, 1, 2])');
  t.equal(inspect(torch.tensor([true, false])), 'tensor([ True, False])');
  t.equal(inspect(torch.tensor([1, 2], { dtype: 'float64' })), 'tensor([1., 2.], dtype=torch.float64)');
  t.equal(inspect(torch.tensor([1, 2], { dtype: 'int32' })), 'tensor([1, 2], dtype=torch.int32)');
  t.equal(inspect(torch.tensor([1e-5, 1])), 'tensor([1.0000e-05, 1.0000e+00])');
  t.equal(inspect(torch.tensor([1], { requiresGrad: true })), 'tensor([1.], requires_grad=True)');
  t.equal(inspect(torch.tensor([1], { requiresGrad: true }).mul(torch.tensor([2]))), 'tensor([2.], grad_fn=<MulBackward0>)');
  t.equal(inspect(torch.zeros([0])), 'tensor([])');
  t.equal(inspect(torch.zeros([0, 3])), 'tensor([], size=(0, 3))');
  t.equal(inspect(torch.tensor([NaN, Infinity, 1.5])), 'tensor([   nan,    inf, 1.5000])');
  t.equal(String(torch.ones([1])), 'tensor([1.])');
});

t.test('summarises large tensors with edge items', async (t) => {
  t.equal(inspect(torch.arange(2000)), 'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])');
  const big = inspect(torch.zeros([100, 100]));
  t.match(big, /^tensor\(\[\[0\., 0\., 0\.,  \.\.\., 0\., 0\., 0\.\],\n        \[0\., 0\., 0\.,  \.\.\., 0\., 0\., 0\.\],/);
  t.match(big, /\.\.\.,\n/);
  const disposed = torch.ones([1]);
  disposed.dispose();
  t.equal(inspect(disposed), 'tensor(<disposed>)');
});
