import t from 'tap';

import { torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

const x = () => torch.tensor([0.5, 1, 2], { dtype: 'float64' });

t.test('arithmetic with tensors, numbers and broadcasting', async (t) => {
  const a = torch.tensor([[1, 2], [3, 4]]);
  const row = torch.tensor([10, 20]);
  t.same(a.add(row).toArray(), [[11, 22], [13, 24]]);
  t.same(a.add(1).toArray(), [[2, 3], [4, 5]]);
  t.same(a.add(row, 2).toArray(), [[21, 42], [23, 44]], 'alpha scales other');
  t.same(a.sub(row).toArray(), [[-9, -18], [-7, -16]]);
  t.same(a.sub(1, 2).toArray(), [[-1, 0], [1, 2]]);
  t.same(a.mul(2).toArray(), [[2, 4], [6, 8]]);
  t.same(a.div(2).toArray(), [[0.5, 1], [1.5, 2]]);
  t.same(torch.tensor([7, -7]).div(2, 'trunc').toArray(), [3, -3]);
  t.same(torch.tensor([7, -7]).div(2, 'floor').toArray(), [3, -4]);
  t.same(a.pow(2).toArray(), [[1, 4], [9, 16]]);
  t.same(a.pow(torch.tensor([0, 1])).toArray(), [[1, 2], [1, 4]]);
  t.same(a.neg().toArray(), [[-1, -2], [-3, -4]]);
  t.same(torch.tensor([1, 2], { dtype: 'int64' }).mul(3).dtype, 'int64', 'integral numbers keep int tensors integral');
  t.equal(torch.tensor([1, 2], { dtype: 'int64' }).mul(0.5).dtype, 'float32', 'fractional numbers promote');
  t.same(torch.add(a, 1).toArray(), [[2, 3], [4, 5]], 'torch.add(a, b) mirrors the method');
});

t.test('elementwise functions against Math', async (t) => {
  const v = [0.5, 1, 2];
  const close = (name: string, got: number[], f: (v: number) => number) =>
    t.ok(maxAbsDiff(got, v.map(f)) < 1e-12, name);
  close('exp', x().exp().toArray() as number[], Math.exp);
  close('log', x().log().toArray() as number[], Math.log);
  close('log1p', x().log1p().toArray() as number[], Math.log1p);
  close('sqrt', x().sqrt().toArray() as number[], Math.sqrt);
  close('rsqrt', x().rsqrt().toArray() as number[], (a) => 1 / Math.sqrt(a));
  close('tanh', x().tanh().toArray() as number[], Math.tanh);
  close('sigmoid', x().sigmoid().toArray() as number[], (a) => 1 / (1 + Math.exp(-a)));
  close('sin', x().sin().toArray() as number[], Math.sin);
  close('cos', x().cos().toArray() as number[], Math.cos);
  close('reciprocal', x().reciprocal().toArray() as number[], (a) => 1 / a);
  close('square', x().square().toArray() as number[], (a) => a * a);
  // erf(1) and erf(0.5), erf(2) from tables (Abramowitz & Stegun).
  t.ok(maxAbsDiff(x().erf().toArray(), [0.5204998778130465, 0.8427007929497149, 0.9953222650189527]) < 1e-14, 'erf');
  // GELU exact: x·Φ(x) = x/2·(1 + erf(x/√2)); tanh form: x/2·(1 + tanh(√(2/π)(x + 0.044715x³))).
  const erfHalfSqrt2 = [0.38292492254802624, 0.6826894921370859, 0.9544997361036416];
  t.ok(maxAbsDiff(x().gelu().toArray(), v.map((a, i) => (a / 2) * (1 + erfHalfSqrt2[i]!))) < 1e-14, 'gelu exact');
  const tanhForm = v.map((a) => (a / 2) * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a ** 3))));
  t.ok(maxAbsDiff(x().gelu('tanh').toArray(), tanhForm) < 1e-14, 'gelu tanh');
  const mixed = torch.tensor([-1.5, 0, 2.5]);
  t.same(mixed.abs().toArray(), [1.5, 0, 2.5]);
  t.same(mixed.relu().toArray(), [0, 0, 2.5]);
  t.same(mixed.sign().toArray(), [-1, 0, 1]);
  t.same(mixed.floor().toArray(), [-2, 0, 2]);
  t.same(mixed.ceil().toArray(), [-1, 0, 3]);
  t.same(mixed.round().toArray(), [-2, 0, 2], 'round half to even');
  t.same(mixed.clamp(-1, 1).toArray(), [-1, 0, 1]);
  t.same(mixed.clamp(0).toArray(), [0, 0, 2.5]);
  t.same(mixed.clamp(null, 0).toArray(), [-1.5, 0, 0]);
  t.same(mixed.clamp(torch.tensor([0, 0, 0]), 1).toArray(), [0, 0, 1]);
  t.same(mixed.maximum(torch.zeros([3])).toArray(), [0, 0, 2.5]);
  t.same(mixed.minimum(torch.zeros([3])).toArray(), [-1.5, 0, 0]);
});

t.test('comparisons and logic', async (t) => {
  const a = torch.tensor([1, 2, 3]);
  const b = torch.tensor([3, 2, 1]);
  t.same(a.eq(b).toArray(), [false, true, false]);
  t.same(a.ne(2).toArray(), [true, false, true]);
  t.same(a.lt(b).toArray(), [true, false, false]);
  t.same(a.le(2).toArray(), [true, true, false]);
  t.same(a.gt(b).toArray(), [false, false, true]);
  t.same(a.ge(2).toArray(), [false, true, true]);
  const p = torch.tensor([true, true, false]);
  const q = torch.tensor([true, false, false]);
  t.same(p.logicalAnd(q).toArray(), [true, false, false]);
  t.same(p.logicalOr(q).toArray(), [true, true, false]);
  t.same(p.logicalXor(q).toArray(), [false, true, false]);
  t.same(p.logicalNot().toArray(), [false, false, true]);
});

t.test('matmul, mm, bmm, outer, softmax', async (t) => {
  const a = torch.tensor([[1, 2], [3, 4]]);
  const b = torch.tensor([[5, 6], [7, 8]]);
  t.same(a.matmul(b).toArray(), [[19, 22], [43, 50]]);
  t.same(a.mm(b).toArray(), [[19, 22], [43, 50]]);
  t.same(a.matmul(torch.tensor([1, 1])).toArray(), [3, 7], 'matrix × vector');
  t.same(torch.stack([a, b]).bmm(torch.stack([b, a])).toArray(), [[[19, 22], [43, 50]], [[23, 34], [31, 46]]]);
  t.same(torch.tensor([1, 2]).outer(torch.tensor([3, 4])).toArray(), [[3, 4], [6, 8]]);
  const logits = torch.tensor([1, 2, 3], { dtype: 'float64' });
  const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
  const expected = [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z];
  t.ok(maxAbsDiff(logits.softmax(0).toArray(), expected) < 1e-15, 'softmax');
  t.ok(maxAbsDiff(logits.logSoftmax(0).toArray(), expected.map(Math.log)) < 1e-14, 'logSoftmax');
  t.ok(maxAbsDiff(torch.tensor([1000, 1000]).softmax(0).toArray(), [0.5, 0.5]) < 1e-7, 'softmax is stable for large logits');
});

t.test('reductions', async (t) => {
  const a = torch.tensor([[1, 5, 3], [4, 2, 6]], { dtype: 'float64' });
  t.equal(a.sum().item(), 21);
  t.same(a.sum(0).toArray(), [5, 7, 9]);
  t.same(a.sum(1, true).toArray(), [[9], [12]]);
  t.same(a.sum([0, 1]).toArray(), 21);
  t.equal(a.mean().item(), 3.5);
  t.same(a.mean(1).toArray(), [3, 4]);
  t.equal(a.prod().item(), 720);
  t.same(a.prod(1).toArray(), [15, 48]);
  t.equal(a.max().item(), 6);
  t.equal(a.min().item(), 1);
  const mx = a.max(1);
  t.same(mx.values.toArray(), [5, 6]);
  t.same(mx.indices.toArray(), [1, 2]);
  t.same(a.min(0).indices.toArray(), [0, 1, 0]);
  t.equal(a.argmax().item(), 5);
  t.same(a.argmax(1).toArray(), [1, 2]);
  t.same(a.argmin(1, true).toArray(), [[0], [1]]);
  // var of [1,5,3] = ((1-3)² + (5-3)² + 0)/2 = 4; of [4,2,6] = (0 + 4 + 4)/2 = 4
  t.same(a.var(1).toArray(), [4, 4]);
  t.same(a.var(1, { correction: 0 }).toArray(), [8 / 3, 8 / 3]);
  t.same(a.std(1).toArray(), [2, 2]);
  t.ok(Math.abs((a.norm().item() as number) - Math.sqrt(91)) < 1e-12, 'L2 norm');
  t.same(a.norm(1, 1).toArray(), [9, 12]);
  t.ok(maxAbsDiff(a.logsumexp(1).toArray(), [Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3)), Math.log(Math.exp(4) + Math.exp(2) + Math.exp(6))]) < 1e-12);
  const top = a.topk(2);
  t.same(top.values.toArray(), [[5, 3], [6, 4]]);
  t.same(top.indices.toArray(), [[1, 2], [2, 0]]);
  t.same(a.topk(1, 1, false).values.toArray(), [[1], [2]]);
  const sorted = a.sort(1, true);
  t.same(sorted.values.toArray(), [[5, 3, 1], [6, 4, 2]]);
  t.same(sorted.indices.toArray(), [[1, 2, 0], [2, 0, 1]]);
  t.same(a.cumsum(1).toArray(), [[1, 6, 9], [4, 6, 12]]);
  t.equal(torch.tensor([true, false]).all().item(), false);
  t.equal(torch.tensor([true, false]).any().item(), true);
  t.same(torch.tensor([[true, false], [true, true]]).all(1).toArray(), [false, true]);
});

t.test('in-place operations share storage and return a new handle', async (t) => {
  const a = torch.tensor([1, 2, 3]);
  const r = a.add_(1);
  t.not(r, a, 'a fresh handle');
  t.same(a.toArray(), [2, 3, 4]);
  t.same(r.toArray(), [2, 3, 4]);
  a.mul_(2);
  t.same(a.toArray(), [4, 6, 8]);
  a.sub_(torch.tensor([1, 1, 1]), 2);
  t.same(a.toArray(), [2, 4, 6]);
  a.div_(2);
  t.same(a.toArray(), [1, 2, 3]);
  a.pow_(2);
  t.same(a.toArray(), [1, 4, 9]);
  a.sqrt_();
  t.same(a.toArray(), [1, 2, 3]);
  a.neg_();
  t.same(a.toArray(), [-1, -2, -3]);
  a.relu_();
  t.same(a.toArray(), [0, 0, 0]);
  a.fill_(5);
  t.same(a.toArray(), [5, 5, 5]);
  a.clamp_(null, 4);
  t.same(a.toArray(), [4, 4, 4]);
  a.copy_(torch.tensor([7, 8, 9]));
  t.same(a.toArray(), [7, 8, 9]);
  a.maskedFill_(torch.tensor([false, true, false]), 0);
  t.same(a.toArray(), [7, 0, 9]);
  a.zero_();
  t.same(a.toArray(), [0, 0, 0]);
  a.addcmul_(torch.tensor([1, 2, 3]), torch.tensor([2, 2, 2]), 0.5);
  t.same(a.toArray(), [1, 2, 3]);
  a.addcdiv_(torch.tensor([2, 2, 2]), torch.tensor([1, 2, 4]), 2);
  t.same(a.toArray(), [5, 4, 4]);
  a.lerp_(torch.tensor([1, 0, 0]), 0.5);
  t.same(a.toArray(), [3, 2, 2]);
  a.exp_();
  t.ok(maxAbsDiff(a.toArray(), [Math.exp(3), Math.exp(2), Math.exp(2)]) < 1e-4);
  const u = torch.zeros([10000]).uniform_(2, 3);
  t.ok((u.min().item() as number) >= 2 && (u.max().item() as number) <= 3, 'uniform_ range');
  const n = torch.zeros([20000], { dtype: 'float64' }).normal_(5, 2);
  t.ok(Math.abs((n.mean().item() as number) - 5) < 0.06 && Math.abs((n.std().item() as number) - 2) < 0.06, 'normal_ moments');
  const bern = torch.zeros([20000]).bernoulli_(0.25);
  t.ok(Math.abs((bern.mean().item() as number) - 0.25) < 0.02, 'bernoulli_ rate');
  t.same(torch.zeros([2]).unsqueeze_(0).shape, [1, 2]);
});
