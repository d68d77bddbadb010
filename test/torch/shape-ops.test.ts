import t from 'tap';

import { torch } from '../../lib/index.js';

const m = () => torch.tensor([[1, 2, 3], [4, 5, 6]]);

t.test('view, reshape, permute, transpose, flatten', async (t) => {
  t.same(m().view(3, 2).toArray(), [[1, 2], [3, 4], [5, 6]]);
  t.same(m().view([-1]).toArray(), [1, 2, 3, 4, 5, 6]);
  t.same(m().reshape([3, -1]).shape, [3, 2]);
  t.same(m().transpose(0, 1).toArray(), [[1, 4], [2, 5], [3, 6]]);
  t.same(m().t().shape, [3, 2]);
  t.same(m().permute([1, 0]).toArray(), [[1, 4], [2, 5], [3, 6]]);
  t.notOk(m().t().isContiguous());
  t.ok(m().t().contiguous().isContiguous());
  t.same(torch.zeros([2, 3, 4]).flatten(1).shape, [2, 12]);
  t.same(torch.zeros([2, 3, 4]).flatten().shape, [24]);
});

t.test('unsqueeze, squeeze, expand, repeat', async (t) => {
  t.same(m().unsqueeze(0).shape, [1, 2, 3]);
  t.same(m().unsqueeze(-1).shape, [2, 3, 1]);
  t.same(torch.zeros([1, 2, 1]).squeeze().shape, [2]);
  t.same(torch.zeros([1, 2, 1]).squeeze(0).shape, [2, 1]);
  t.same(torch.zeros([1, 2, 1]).squeeze([0, 2]).shape, [2]);
  t.same(torch.tensor([[1], [2]]).expand(2, 3).toArray(), [[1, 1, 1], [2, 2, 2]]);
  t.same(torch.tensor([[1], [2]]).expandAs(m()).shape, [2, 3]);
  t.same(torch.tensor([1, 2]).repeat(2).toArray(), [1, 2, 1, 2]);
});

t.test('split, chunk, narrow, select, slice', async (t) => {
  const x = torch.arange(10);
  t.same(x.split(4).map((p) => p.toArray()), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  t.same(x.split([2, 8]).map((p) => p.shape[0]), [2, 8]);
  t.same(x.chunk(3).map((p) => p.shape[0]), [4, 4, 2]);
  t.same(x.narrow(0, 2, 3).toArray(), [2, 3, 4]);
  t.same(m().select(1, 2).toArray(), [3, 6]);
  t.same(m().select(0, -1).toArray(), [4, 5, 6]);
  t.same(x.slice(0, 1, 8, 3).toArray(), [1, 4, 7]);
  t.same(x.slice(0, -3).toArray(), [7, 8, 9]);
});

t.test('indexSelect, gather, scatter, index, maskedFill, maskedSelect', async (t) => {
  const idx = torch.tensor([2, 0], { dtype: 'int64' });
  t.same(m().indexSelect(1, idx).toArray(), [[3, 1], [6, 4]]);
  const g = torch.tensor([[0, 0], [1, 0]], { dtype: 'int64' });
  t.same(m().gather(1, g).toArray(), [[1, 1], [5, 4]]);
  const s = torch.zeros([2, 3]).scatter(1, torch.tensor([[2], [0]], { dtype: 'int64' }), torch.tensor([[7], [8]]));
  t.same(s.toArray(), [[0, 0, 7], [8, 0, 0]]);
  t.same(torch.zeros([3]).scatter(0, torch.tensor([1], { dtype: 'int64' }), 5).toArray(), [0, 5, 0]);
  const sa = torch.zeros([3]).scatterAdd(0, torch.tensor([1, 1, 2], { dtype: 'int64' }), torch.tensor([1, 2, 3]));
  t.same(sa.toArray(), [0, 3, 3]);
  t.same(m().index([torch.tensor([1, 0], { dtype: 'int64' }), torch.tensor([2, 1], { dtype: 'int64' })]).toArray(), [6, 2]);
  t.same(m().index([null, torch.tensor([0], { dtype: 'int64' })]).toArray(), [[1], [4]]);
  const mask = torch.tensor([[true, false, false], [false, false, true]]);
  t.same(m().maskedFill(mask, -1).toArray(), [[-1, 2, 3], [4, 5, -1]]);
  t.same(m().maskedSelect(mask).toArray(), [1, 6]);
  t.same(torch.tensor([0, 3, 0, 4]).nonzero().toArray(), [[1], [3]]);
  t.same(torch.tensor([1, 2, 3]).flip(0).toArray(), [3, 2, 1]);
});

t.test('tril, triu', async (t) => {
  const x = torch.ones([3, 3]);
  t.same(x.tril().toArray(), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  t.same(x.triu(1).toArray(), [[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
  t.same(x.tril(-1).toArray(), [[0, 0, 0], [1, 0, 0], [1, 1, 0]]);
});

t.test('to(device | dtype), clone, detach', async (t) => {
  const x = torch.tensor([1.5, 2.5]);
  t.equal(x.to('float64').dtype, 'float64');
  t.equal(x.to({ dtype: 'int32' }).dtype, 'int32');
  t.equal(x.to('cpu').device, 'cpu');
  t.equal(x.long().dtype, 'int64');
  t.equal(x.half().dtype, 'float16');
  t.equal(x.bfloat16().dtype, 'bfloat16');
  t.equal(x.double().float().dtype, 'float32');
  const c = x.clone();
  c.add_(1);
  t.same(x.toArray(), [1.5, 2.5], 'clone copies');
  const d = x.detach();
  d.add_(1);
  t.same(x.toArray(), [2.5, 3.5], 'detach shares storage');
});
