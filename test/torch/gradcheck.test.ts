// Every differentiable op: autograd's gradient against float64 central differences.
import t from 'tap';

import { torch, type Tensor } from '../../lib/index.js';
import { gradcheck } from '../helpers/numeric.js';

torch.manualSeed(0);
const r = (...shape: number[]) => torch.randn(shape, { dtype: 'float64' });
const pos = (...shape: number[]) => torch.rand(shape, { dtype: 'float64' }).add(0.5);
const idx = (values: number[]) => torch.tensor(values, { dtype: 'int64' });

type Case = [name: string, fn: (...x: Tensor[]) => Tensor, inputs: () => Tensor[]];

const cases: Case[] = [
  ['add', (a, b) => a.add(b!, 0.5), () => [r(2, 3), r(3)]],
  ['sub', (a, b) => a.sub(b!), () => [r(2, 3), r(2, 3)]],
  ['mul', (a, b) => a.mul(b!), () => [r(2, 3), r(1, 3)]],
  ['div', (a, b) => a.div(b!), () => [r(2, 3), pos(2, 3)]],
  ['pow scalar', (a) => a.pow(3), () => [r(4)]],
  ['pow tensor', (a, b) => a.pow(b!), () => [pos(4), r(4)]],
  ['neg', (a) => a.neg(), () => [r(3)]],
  ['exp', (a) => a.exp(), () => [r(3)]],
  ['log', (a) => a.log(), () => [pos(3)]],
  ['log1p', (a) => a.log1p(), () => [pos(3)]],
  ['sqrt', (a) => a.sqrt(), () => [pos(3)]],
  ['rsqrt', (a) => a.rsqrt(), () => [pos(3)]],
  ['abs', (a) => a.abs(), () => [pos(3)]],
  ['tanh', (a) => a.tanh(), () => [r(3)]],
  ['sigmoid', (a) => a.sigmoid(), () => [r(3)]],
  ['relu', (a) => a.relu(), () => [pos(3)]],
  ['gelu exact', (a) => a.gelu(), () => [r(5)]],
  ['gelu tanh', (a) => a.gelu('tanh'), () => [r(5)]],
  ['erf', (a) => a.erf(), () => [r(4)]],
  ['sin', (a) => a.sin(), () => [r(3)]],
  ['cos', (a) => a.cos(), () => [r(3)]],
  ['reciprocal', (a) => a.reciprocal(), () => [pos(3)]],
  ['square', (a) => a.square(), () => [r(3)]],
  ['clamp', (a) => a.clamp(-0.5, 0.5), () => [torch.tensor([-1, -0.2, 0.3, 0.9], { dtype: 'float64' })]],
  ['maximum', (a, b) => a.maximum(b!), () => [torch.tensor([1, -1], { dtype: 'float64' }), torch.tensor([0, 0], { dtype: 'float64' })]],
  ['matmul', (a, b) => a.matmul(b!), () => [r(2, 3), r(3, 4)]],
  ['bmm', (a, b) => a.bmm(b!), () => [r(2, 2, 3), r(2, 3, 2)]],
  ['outer', (a, b) => a.outer(b!), () => [r(2), r(3)]],
  ['softmax', (a) => a.softmax(-1), () => [r(2, 4)]],
  ['logSoftmax', (a) => a.logSoftmax(1), () => [r(2, 4)]],
  ['sum dim', (a) => a.sum(1, true), () => [r(2, 3)]],
  ['mean', (a) => a.mean(0), () => [r(3, 2)]],
  ['prod', (a) => a.prod(1), () => [pos(2, 3)]],
  ['max dim', (a) => a.max(1).values, () => [r(3, 4)]],
  ['min', (a) => a.min(), () => [r(5)]],
  ['var', (a) => a.var(1), () => [r(2, 4)]],
  ['std', (a) => a.std(), () => [r(6)]],
  ['norm', (a) => a.norm(2, 1), () => [r(2, 3)]],
  ['logsumexp', (a) => a.logsumexp(1), () => [r(2, 3)]],
  ['topk', (a) => a.topk(2).values, () => [r(2, 5)]],
  ['sort', (a) => a.sort(1, true).values, () => [r(2, 4)]],
  ['cumsum', (a) => a.cumsum(1), () => [r(2, 4)]],
  ['view', (a) => a.view(3, 2).mul(a.view(3, 2)), () => [r(2, 3)]],
  ['reshape', (a) => a.reshape([6]).exp(), () => [r(2, 3)]],
  ['permute', (a) => a.permute([2, 0, 1]).exp(), () => [r(2, 3, 2)]],
  ['transpose', (a) => a.transpose(0, 1).exp(), () => [r(2, 3)]],
  ['unsqueeze/squeeze', (a) => a.unsqueeze(1).exp().squeeze(1), () => [r(3)]],
  ['flatten', (a) => a.flatten().exp(), () => [r(2, 2)]],
  ['expand', (a) => a.expand(3, 2).exp(), () => [r(1, 2)]],
  ['repeat', (a) => a.repeat(2, 1).exp(), () => [r(1, 3)]],
  ['cat', (a, b) => torch.cat([a, b!], 1).exp(), () => [r(2, 1), r(2, 2)]],
  ['stack', (a, b) => torch.stack([a, b!]).exp(), () => [r(3), r(3)]],
  ['split', (a) => a.split(2)[1]!.exp(), () => [r(5)]],
  ['chunk', (a) => a.chunk(2, 1)[0]!.exp(), () => [r(2, 4)]],
  ['narrow', (a) => a.narrow(1, 1, 2).exp(), () => [r(2, 4)]],
  ['select', (a) => a.select(0, 1).exp(), () => [r(3, 2)]],
  ['slice', (a) => a.slice(0, 1, 4, 2).exp(), () => [r(5)]],
  ['index', (a) => a.index([idx([2, 0, 2])]).exp(), () => [r(3, 2)]],
  ['indexSelect', (a) => a.indexSelect(1, idx([1, 1, 0])).exp(), () => [r(2, 2)]],
  ['gather', (a) => a.gather(1, idx([0, 2, 1, 1]).view(2, 2)).exp(), () => [r(2, 3)]],
  ['scatter', (a, b) => a.scatter(1, idx([2, 0]).view(2, 1), b!).exp(), () => [r(2, 3), r(2, 1)]],
  ['scatterAdd', (a, b) => a.scatterAdd(0, idx([1, 1, 0]), b!).exp(), () => [r(3), r(3)]],
  ['maskedFill', (a) => a.maskedFill(torch.tensor([true, false, true]), 0).exp(), () => [r(3)]],
  ['where', (a, b) => a.where(torch.tensor([true, false, true]), b!), () => [r(3), r(3)]],
  ['tril', (a) => a.tril().exp(), () => [r(3, 3)]],
  ['triu', (a) => a.triu(1).exp(), () => [r(3, 3)]],
  ['flip', (a) => a.flip(0).exp(), () => [r(3)]],
  ['clone', (a) => a.clone().exp(), () => [r(3)]],
  ['embedding', (w) => torch.functional.embedding(idx([0, 2, 2]), w!), () => [r(3, 2)]],
  ['layerNorm', (a, w, b) => torch.functional.layerNorm(a, [4], w, b, 1e-12), () => [r(2, 4), r(4), r(4)]],
  ['linear', (a, w, b) => torch.functional.linear(a, w!, b), () => [r(2, 3), r(4, 3), r(4)]],
  ['crossEntropy', (a) => torch.functional.crossEntropy(a, idx([1, 0, 3])), () => [r(3, 4)]],
  ['crossEntropy smoothing', (a) => torch.functional.crossEntropy(a, idx([1, -100, 3]), { labelSmoothing: 0.1 }), () => [r(3, 4)]],
  ['scaledDotProductAttention', (q, k, v) => torch.functional.scaledDotProductAttention(q, k!, v!), () => [r(1, 2, 3, 4), r(1, 2, 3, 4), r(1, 2, 3, 4)]],
  ['mseLoss', (a, b) => torch.functional.mseLoss(a, b!), () => [r(4), r(4)]],
  ['bceWithLogits', (a, b) => torch.functional.binaryCrossEntropyWithLogits(a, b!), () => [r(4), torch.rand([4], { dtype: 'float64' })]],
];

for (const [name, fn, inputs] of cases) {
  t.test(name, async (t) => {
    const error = gradcheck(fn, inputs());
    t.ok(error < 1e-6, `autograd vs finite differences: max error ${error.toExponential(2)}`);
  });
}
