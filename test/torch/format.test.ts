import t from 'tap';
import { inspect } from 'node:util';

import { torch, type Tensor } from '../../lib/index.js';
import { runChild } from '../helpers/child.js';
import { missingPython, runPython } from '../helpers/python.js';

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

// Tensors made the same way on both sides, printed by plm-torch and by PyTorch's repr.
const PYTORCH_CASES: [js: () => Tensor, py: string][] = [
  [() => torch.arange(2000).reshape([10, 20, 10]), 'torch.arange(2000).reshape(10, 20, 10)'],
  [() => torch.arange(24000).reshape([10, 20, 120]).float().div(7), 'torch.arange(24000).reshape(10, 20, 120).float() / 7'],
  [() => torch.arange(1001).float().div(3), 'torch.arange(1001).float() / 3'],
  [() => torch.arange(30).float().div(7), 'torch.arange(30).float() / 7'],
  [() => torch.arange(0, 3000, 1, { dtype: 'int32' }).reshape([3, 1000]), 'torch.arange(3000, dtype=torch.int32).reshape(3, 1000)'],
  [() => torch.arange(1024).reshape([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]), 'torch.arange(1024).reshape(2, 2, 2, 2, 2, 2, 2, 2, 2, 2)'],
  [() => torch.arange(2000).reshape([1, 2000]), 'torch.arange(2000).reshape(1, 2000)'],
  [() => torch.arange(2000).reshape([2000, 1]), 'torch.arange(2000).reshape(2000, 1)'],
  [() => torch.arange(2000).float().div(4).half(), '(torch.arange(2000).float() / 4).half()'],
  [() => torch.arange(0, 5000, 1, { dtype: 'float64' }).reshape([50, 100]).div(8), 'torch.arange(5000, dtype=torch.float64).reshape(50, 100) / 8'],
  [() => torch.arange(7000).reshape([7, 1000]).float().mul(1e9), 'torch.arange(7000).reshape(7, 1000).float() * 1e9'],
  [() => torch.arange(2000).float().mul(torch.tensor([1], { requiresGrad: true })), 'torch.arange(2000).float() * torch.tensor([1.], requires_grad=True)'],
  [() => torch.arange(2000).lt(1000), 'torch.arange(2000) < 1000'],
  [() => torch.tensor([1.5]).expand([3000]), 'torch.tensor([1.5]).expand(3000)'],
  [() => torch.zeros([1, 1]).expand([20000, 30000]), 'torch.zeros(1, 1).expand(20000, 30000)'],
  [() => torch.zeros([3e7, 0]), 'torch.zeros(30000000, 0)'],
  [() => torch.zeros([2, 0, 4]), 'torch.zeros(2, 0, 4)'],
  [() => torch.tensor([NaN, 1]), "torch.tensor([float('nan'), 1.])"],
  [() => torch.tensor([0.5, 1.03125, -2.00005]), 'torch.tensor([0.5, 1.03125, -2.00005])'],
  [() => torch.tensor([0.125, 1.5], { dtype: 'float64' }), 'torch.tensor([0.125, 1.5], dtype=torch.float64)'],
  [() => torch.tensor([1e-5, 1.00005e-5, 2.5], { dtype: 'float64' }), 'torch.tensor([1e-5, 1.00005e-5, 2.5], dtype=torch.float64)'],
  [() => torch.tensor([0.99995, 0.00015], { dtype: 'float64' }), 'torch.tensor([0.99995, 0.00015], dtype=torch.float64)'],
  [() => torch.tensor(-0), 'torch.tensor(-0.0)'],
  [() => torch.tensor([1e10, 1]), 'torch.tensor([1e10, 1.])'],
  [() => torch.arange(60).float().mul(1000.5), 'torch.arange(60).float() * 1000.5'],
];

t.test('prints what PyTorch prints: summaries, 80-column rows, modes and rounding', { skip: missingPython('torch') }, async (t) => {
  const expected = runPython<string[]>(`import torch, math\nout([repr(eval(e)) for e in inp])`, PYTORCH_CASES.map(([, py]) => py));
  PYTORCH_CASES.forEach(([make, py], i) => t.equal(String(make()), expected[i], py));
});

t.test('a summary reads back only the elements it shows, and leaves no tensor or grad mode behind', async (t) => {
  const big = torch.zeros([1, 1]).expand([1e6, 1e6]); // 10^12 elements, 4 TB as float32: only a view
  const leaf = torch.arange(3000).float().requiresGrad_();
  const before = torch.memory().tensors;
  t.equal(String(big), 'tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        ...,\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.]])');
  t.match(inspect(leaf), /^tensor\(\[0\.0000e\+00, .*requires_grad=True\)$/s);
  t.equal(leaf.gradFn, null);
  t.equal(torch.isGradEnabled(), true, 'grad mode is restored');
  t.equal(torch.memory().tensors, before, 'the gathered index and value tensors were freed');
  big.dispose();
  leaf.dispose();
});

t.test('huge and empty tensors print at once (in a child with a time limit)', async (t) => {
  const r = runChild(`
const cases = {
  expanded: () => String(torch.zeros([1]).expand([6e8])),
  expanded2d: () => String(torch.zeros([1, 1]).expand([2e4, 3e4])),
  emptyTall: () => String(torch.zeros([3e7, 0])),
  emptyWide: () => String(torch.zeros([0, 3e8])),
  emptyDeep: () => String(torch.zeros([3e7, 0, 3e7])),
};
const res = {};
for (const [k, f] of Object.entries(cases)) { const t0 = performance.now(); const text = f(); res[k] = { text, ms: performance.now() - t0 }; }
out(res);`);
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.status, 0, r.stderr.slice(0, 500));
  const res = r.result as Record<string, { text: string; ms: number }>;
  t.equal(res.expanded!.text, 'tensor([0., 0., 0.,  ..., 0., 0., 0.])');
  t.match(res.expanded2d!.text, /^tensor\(\[\[0\., 0\., 0\.,  \.\.\., 0\., 0\., 0\.\],\n/);
  t.equal(res.emptyTall!.text, 'tensor([], size=(30000000, 0))');
  t.equal(res.emptyWide!.text, 'tensor([], size=(0, 300000000))');
  t.equal(res.emptyDeep!.text, 'tensor([], size=(30000000, 0, 30000000))');
  for (const [k, { ms }] of Object.entries(res)) t.ok(ms < 2000, `${k} printed in ${ms.toFixed(0)} ms`);
});
