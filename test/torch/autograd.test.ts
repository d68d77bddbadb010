import t from 'tap';

import { torch } from '../../lib/index.js';

t.test('backward accumulates into leaves; grad can be read, set and zeroed', async (t) => {
  const x = torch.tensor([1, 2, 3], { requiresGrad: true });
  t.ok(x.isLeaf);
  const y = x.mul(x).sum();
  t.equal(y.gradFn, 'SumBackward0');
  t.notOk(y.isLeaf);
  y.backward(undefined, { retainGraph: true });
  t.same(x.grad!.toArray(), [2, 4, 6]);
  y.backward();
  t.same(x.grad!.toArray(), [4, 8, 12], 'a second backward accumulates');
  x.grad = null;
  t.equal(x.grad, null);
  x.grad = torch.ones([3]);
  t.same(x.grad!.toArray(), [1, 1, 1]);
  x.grad!.zero_();
  t.same(x.grad!.toArray(), [0, 0, 0], 'zeroing the grad through a fresh handle writes the same storage');
});

t.test('backward of a non-scalar takes a gradient', async (t) => {
  const x = torch.tensor([1, 2], { requiresGrad: true });
  const y = x.mul(3);
  y.backward(torch.tensor([1, 10]));
  t.same(x.grad!.toArray(), [3, 30]);
});

t.test('noGrad and enableGrad', async (t) => {
  const x = torch.tensor([1.0], { requiresGrad: true });
  const y = torch.noGrad(() => x.mul(2));
  t.notOk(y.requiresGrad);
  t.ok(torch.isGradEnabled(), 'mode restored');
  const z = torch.noGrad(() => torch.enableGrad(() => x.mul(2)));
  t.ok(z.requiresGrad);
  t.throws(() => torch.noGrad(() => { throw new Error('boom'); }), /boom/);
  t.ok(torch.isGradEnabled(), 'mode restored after a throw');
  t.throws(() => torch.noGrad((async () => 1) as unknown as () => number), TypeError);
  t.ok(torch.isGradEnabled());
});

t.test('autograd.grad, createGraph and second derivatives', async (t) => {
  const x = torch.tensor([2.0], { requiresGrad: true, dtype: 'float64' });
  const y = x.pow(3);
  const [dy] = torch.autograd.grad(y, [x], { createGraph: true });
  t.same(dy!.toArray(), [12], 'd(x³)/dx = 3x²');
  t.equal(x.grad, null, 'autograd.grad leaves .grad alone');
  const [d2y] = torch.autograd.grad(dy!, [x]);
  t.same(d2y!.toArray(), [12], 'd²(x³)/dx² = 6x');
  const unused = torch.tensor([1.0], { requiresGrad: true });
  const [a, b] = torch.autograd.grad(x.mul(2).sum(), [x, unused], { allowUnused: true });
  t.same(a!.toArray(), [2]);
  t.equal(b, null);
});

t.test('requiresGrad_, detach, retainGrad', async (t) => {
  const x = torch.tensor([1, 2]);
  t.notOk(x.requiresGrad);
  x.requiresGrad_();
  t.ok(x.requiresGrad);
  x.requiresGrad = false;
  t.notOk(x.requiresGrad);
  x.requiresGrad = true;
  const mid = x.mul(2);
  mid.retainGrad();
  mid.sum().backward();
  t.same(mid.grad!.toArray(), [1, 1], 'retained grad of a non-leaf');
  t.notOk(x.mul(2).detach().requiresGrad);
  t.equal(torch.autograd.backward, torch.autograd.backward);
  const w = torch.tensor([3.0], { requiresGrad: true });
  torch.autograd.backward([w.mul(2).sum(), w.mul(5).sum()]);
  t.same(w.grad!.toArray(), [7], 'backward over several outputs');
});
