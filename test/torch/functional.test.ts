import t from 'tap';

import { torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

const F = torch.functional;
const d = (v: Parameters<typeof torch.tensor>[0]) => torch.tensor(v, { dtype: 'float64' });
const i64 = (v: number[]) => torch.tensor(v, { dtype: 'int64' });

t.test('embedding picks rows; the padding row gets no gradient', async (t) => {
  const w = d([[0, 1], [2, 3], [4, 5]]).requiresGrad_();
  const out = F.embedding(i64([2, 0, 2]), w, 0);
  t.same(out.toArray(), [[4, 5], [0, 1], [4, 5]]);
  out.sum().backward();
  t.same(w.grad!.toArray(), [[0, 0], [0, 0], [2, 2]]);
});

t.test('layerNorm against the formula', async (t) => {
  const x = d([[1, 2, 3, 4]]);
  const mean = 2.5;
  const variance = (1.5 ** 2 + 0.5 ** 2 + 0.5 ** 2 + 1.5 ** 2) / 4;
  const expected = [1, 2, 3, 4].map((v) => ((v - mean) / Math.sqrt(variance + 1e-12)) * 2 + 1);
  const out = F.layerNorm(x, [4], d([2, 2, 2, 2]), d([1, 1, 1, 1]), 1e-12);
  t.ok(maxAbsDiff(out.toArray(), [expected]) < 1e-12);
  t.ok(maxAbsDiff(F.layerNorm(x, 4).toArray(), [[1, 2, 3, 4].map((v) => (v - mean) / Math.sqrt(variance + 1e-5))]) < 1e-12);
});

t.test('dropout zeroes with probability p, scales by 1/(1-p), and is identity in eval', async (t) => {
  torch.manualSeed(3);
  const x = torch.ones([100000]);
  const y = F.dropout(x, 0.25, true);
  const kept = y.ne(0).to('float64').mean().item() as number;
  t.ok(Math.abs(kept - 0.75) < 0.01, `kept fraction ${kept}`);
  t.ok(maxAbsDiff(y.maskedSelect(y.ne(0)).slice(0, 0, 5).toArray(), [4 / 3, 4 / 3, 4 / 3, 4 / 3, 4 / 3]) < 1e-6);
  t.same(F.dropout(torch.tensor([1, 2]), 0.5, false).toArray(), [1, 2]);
  t.throws(() => F.dropout(x, 1.5), RangeError);
});

t.test('CPU dropout: an unbiased mask, the same mask in backward, repeatable from the seed and RNG state', async (t) => {
  const n = 1_000_000;
  torch.manualSeed(11);
  const x = torch.ones([n], { requiresGrad: true });
  const y = F.dropout(x, 0.1, true);
  const keep = y.ne(0).to('float64');
  const kept = keep.mean().item() as number;
  const sigma = Math.sqrt((0.1 * 0.9) / n);
  t.ok(Math.abs(kept - 0.9) < 5 * sigma, `kept fraction ${kept} (expected 0.9 ± ${(5 * sigma).toFixed(5)})`);
  // Neighbours share one 64-bit hash (its two halves): their keep bits must be independent.
  const a = keep.slice(0, 0, n, 2);
  const b = keep.slice(0, 1, n, 2);
  const both = a.mul(b).mean().item() as number;
  t.ok(Math.abs(both - 0.81) < 5 * Math.sqrt((0.81 * 0.19) / (n / 2)), `P(both kept) ${both}`);
  const w = torch.rand([n]);
  y.mul(w).sum().backward();
  const expectedGrad = keep.mul(w.to('float64')).div(0.9);
  t.ok((x.grad!.to('float64').sub(expectedGrad).abs().max().item() as number) < 1e-6, 'backward multiplies by the same mask and scale');
  torch.manualSeed(11);
  t.ok(F.dropout(torch.ones([n]), 0.1, true).eq(y.detach()).all().item(), 'manualSeed repeats the mask');
  const state = torch.getRngState();
  const first = F.dropout(torch.ones([1000]), 0.5, true);
  const second = F.dropout(torch.ones([1000]), 0.5, true);
  t.notOk(first.eq(second).all().item(), 'consecutive calls draw different masks');
  torch.setRngState(state);
  t.ok(F.dropout(torch.ones([1000]), 0.5, true).eq(first).all().item(), 'a saved RNG state repeats it');
  const half = F.dropout(torch.ones([4, 8], { dtype: 'bfloat16' }), 0.5, true);
  t.same([half.dtype, half.shape], ['bfloat16', [4, 8]]);
  t.same(F.dropout(torch.ones([3]), 1, true).toArray(), [0, 0, 0]);
  t.same(F.dropout(torch.ones([3]), 0, true).toArray(), [1, 1, 1]);
});

t.test('crossEntropy: mean over non-ignored targets, sum, none, label smoothing', async (t) => {
  const logits = d([[1, 2, 3], [1, 1, 1]]);
  const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  const lse1 = 1 + Math.log(3);
  const l0 = lse0 - 3; // target 2
  const l1 = lse1 - 1; // target 0
  t.ok(Math.abs((F.crossEntropy(logits, i64([2, 0])).item() as number) - (l0 + l1) / 2) < 1e-12, 'mean');
  t.ok(Math.abs((F.crossEntropy(logits, i64([2, -100])).item() as number) - l0) < 1e-12, 'ignoreIndex -100 leaves the row out');
  t.ok(Math.abs((F.crossEntropy(logits, i64([2, 7]), { ignoreIndex: 7 }).item() as number) - l0) < 1e-12, 'custom ignoreIndex');
  t.ok(Math.abs((F.crossEntropy(logits, i64([2, 0]), { reduction: 'sum' }).item() as number) - (l0 + l1)) < 1e-12, 'sum');
  t.ok(maxAbsDiff(F.crossEntropy(logits, i64([2, 0]), { reduction: 'none' }).toArray(), [l0, l1]) < 1e-12, 'none');
  // smoothing ε: (1-ε)·nll + ε·mean over classes of -log p
  const eps = 0.1;
  const logp0 = [1, 2, 3].map((v) => v - lse0);
  const smooth0 = (1 - eps) * l0 + eps * (-(logp0[0]! + logp0[1]! + logp0[2]!) / 3);
  t.ok(Math.abs((F.crossEntropy(logits.slice(0, 0, 1), i64([2]), { labelSmoothing: eps }).item() as number) - smooth0) < 1e-12, 'label smoothing');
  t.throws(() => F.crossEntropy(logits, i64([2, 0]), { reduction: 'avg' as 'mean' }), TypeError);
});

t.test('scaledDotProductAttention equals the eager formula, with masks and causality', async (t) => {
  torch.manualSeed(11);
  const q = torch.randn([2, 3, 5, 4], { dtype: 'float64' });
  const k = torch.randn([2, 3, 5, 4], { dtype: 'float64' });
  const v = torch.randn([2, 3, 5, 4], { dtype: 'float64' });
  const eager = (mask?: ReturnType<typeof torch.zeros>) => {
    let scores = q.matmul(k.transpose(-2, -1)).div(2); // √4
    if (mask) scores = scores.add(mask);
    return scores.softmax(-1).matmul(v);
  };
  t.ok(maxAbsDiff(F.scaledDotProductAttention(q, k, v).toArray(), eager().toArray()) < 1e-12, 'no mask');
  // Additive mask as BERT builds it: 0 to keep, a large negative number to drop.
  const keep = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]).view(2, 1, 1, 5);
  const additive = keep.sub(1).mul(1e9).to('float64');
  t.ok(maxAbsDiff(F.scaledDotProductAttention(q, k, v, { attnMask: additive }).toArray(), eager(additive).toArray()) < 1e-12, 'additive mask');
  t.ok(maxAbsDiff(F.scaledDotProductAttention(q, k, v, { attnMask: keep.bool() }).toArray(), eager(additive).toArray()) < 1e-12, 'boolean mask');
  const causal = torch.ones([5, 5]).tril().sub(1).mul(1e9).to('float64');
  t.ok(maxAbsDiff(F.scaledDotProductAttention(q, k, v, { isCausal: true }).toArray(), eager(causal).toArray()) < 1e-12, 'causal');
  const scaled = F.scaledDotProductAttention(q, k, v, { scale: 0.5 });
  t.ok(maxAbsDiff(scaled.toArray(), eager().toArray()) < 1e-12, 'explicit scale equal to 1/√d');
});

t.test('linear, softmax, gelu, mse, bce, nll, oneHot', async (t) => {
  t.same(F.linear(d([[1, 2]]), d([[1, 0], [0, 1], [1, 1]]), d([0, 0, 1])).toArray(), [[1, 2, 4]]);
  t.same(F.linear(d([[1, 2]]), d([[1, 1]])).toArray(), [[3]]);
  t.ok(maxAbsDiff(F.softmax(d([0, 0]), 0).toArray(), [0.5, 0.5]) < 1e-15);
  t.ok(maxAbsDiff(F.logSoftmax(d([0, 0]), 0).toArray(), [Math.log(0.5), Math.log(0.5)]) < 1e-15);
  t.ok(maxAbsDiff(F.gelu(d([1])).toArray(), [0.8413447460685429]) < 1e-12);
  t.equal(F.mseLoss(d([1, 2]), d([3, 2])).item(), 2);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const bce = -(1 * Math.log(sig(0.5)) + (1 - 0) * Math.log(1 - sig(-1))) / 2;
  t.ok(Math.abs((F.binaryCrossEntropyWithLogits(d([0.5, -1]), d([1, 0])).item() as number) - bce) < 1e-12);
  t.equal(F.nllLoss(d([[-1, -2], [-3, -4]]), i64([1, 0])).item(), 2.5);
  t.same(F.oneHot(i64([0, 2]), 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
  t.same(F.relu(d([-1, 1])).toArray(), [0, 1]);
  t.same(F.tanh(d([0])).toArray(), [0]);
});
