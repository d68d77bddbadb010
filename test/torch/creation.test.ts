import t from 'tap';

import { torch } from '../../lib/index.js';

t.test('tensor() from nested arrays, scalars and typed arrays', async (t) => {
  const a = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  t.same(a.shape, [2, 3]);
  t.equal(a.dtype, 'float32');
  t.same(a.toArray(), [[1, 2, 3], [4, 5, 6]]);
  t.equal(a.numel(), 6);
  t.equal(a.dim(), 2);
  const s = torch.tensor(2.5);
  t.same(s.shape, []);
  t.equal(s.item(), 2.5);
  t.same(torch.tensor([true, false]).toArray(), [true, false]);
  t.equal(torch.tensor([true]).dtype, 'bool');
  t.equal(torch.tensor([1n, 2n]).dtype, 'int64');
  t.same(torch.tensor([9007199254740991n]).toTypedArray(), new BigInt64Array([9007199254740991n]));
  t.equal(torch.tensor(new Int32Array([1, 2])).dtype, 'int32');
  t.equal(torch.tensor(new Float64Array([0.1])).item(), 0.1, 'float64 keeps every bit');
  t.equal(torch.tensor(new Uint8Array([255])).item(), 255);
  t.equal(torch.tensor(new Int8Array([-7])).item(), -7);
  t.equal(torch.tensor([1, 2], { dtype: 'int64' }).dtype, 'int64');
  t.same(torch.tensor([[]]).shape, [1, 0]);
  const sub = new Float32Array([9, 1, 2, 9]).subarray(1, 3);
  t.same(torch.tensor(sub).toArray(), [1, 2], 'a typed array view copies only its window');
});

t.test('every dtype round-trips through toArray', async (t) => {
  const values = [0, 1, 2, 3];
  for (const dtype of torch.DTYPES) {
    const x = torch.tensor(values, { dtype });
    t.equal(x.dtype, dtype);
    const expected = dtype === 'bool' ? [false, true, true, true] : values;
    t.same(x.toArray(), expected, dtype);
  }
  t.equal(torch.tensor([1 / 3], { dtype: 'bfloat16' }).item(), 0.333984375, 'bfloat16 rounds to 8 bits of mantissa');
  t.equal(torch.tensor([1 / 3], { dtype: 'float16' }).item(), 0.333251953125, 'float16 rounds to 11 bits');
  t.equal(torch.tensor([1.7, -1.7], { dtype: 'int32' }).toArray().toString(), '1,-1', 'casts to int truncate as libtorch does');
});

t.test('filled, ranged and identity factories', async (t) => {
  t.same(torch.zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
  t.same(torch.ones(3).toArray(), [1, 1, 1]);
  t.same(torch.full([2], 7).toArray(), [7, 7]);
  t.equal(torch.full([1], true).dtype, 'bool');
  t.same(torch.empty([2, 5]).shape, [2, 5]);
  t.same(torch.arange(4).toArray(), [0, 1, 2, 3]);
  t.equal(torch.arange(4).dtype, 'int64');
  t.same(torch.arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
  t.equal(torch.arange(0, 1, 0.5).dtype, 'float32');
  t.same(torch.arange(5, 0, -2).toArray(), [5, 3, 1]);
  t.same(torch.linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  t.same(torch.eye(2).toArray(), [[1, 0], [0, 1]]);
  t.same(torch.eye(2, 3).toArray(), [[1, 0, 0], [0, 1, 0]]);
  const base = torch.tensor([[1, 2]], { dtype: 'float64' });
  t.same(torch.zerosLike(base).toArray(), [[0, 0]]);
  t.equal(torch.onesLike(base).dtype, 'float64');
  t.same(torch.fullLike(base, 3).toArray(), [[3, 3]]);
  t.same(torch.emptyLike(base).shape, [1, 2]);
  t.equal(torch.zerosLike(base, { dtype: 'int32' }).dtype, 'int32');
  t.ok(torch.zeros([2], { requiresGrad: true }).requiresGrad);
});

t.test('random factories: ranges, moments and seeding', async (t) => {
  torch.manualSeed(1234);
  const u = torch.rand([20000]);
  const mean = u.mean().item() as number;
  t.ok(Math.abs(mean - 0.5) < 0.01, `rand mean ${mean} ≈ 0.5`);
  t.ok((u.min().item() as number) >= 0 && (u.max().item() as number) < 1, 'rand in [0, 1)');
  const n = torch.randn([20000], { dtype: 'float64' });
  t.ok(Math.abs(n.mean().item() as number) < 0.03, 'randn mean ≈ 0');
  t.ok(Math.abs((n.std().item() as number) - 1) < 0.03, 'randn std ≈ 1');
  const r = torch.randint(3, 6, [1000]);
  t.equal(r.dtype, 'int64');
  t.ok((r.min().item() as number) >= 3 && (r.max().item() as number) <= 5, 'randint in [low, high)');
  const p = torch.randperm(10);
  t.same((p.sort().values.toArray() as number[]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'randperm is a permutation');
  torch.manualSeed(7);
  const first = torch.randn([5]).toArray();
  torch.manualSeed(7);
  t.same(torch.randn([5]).toArray(), first, 'manualSeed makes draws repeat');
  t.same(torch.randLike(torch.zeros([3, 2])).shape, [3, 2]);
  t.same(torch.randnLike(torch.zeros([3])).shape, [3]);
  const ri = torch.randintLike(torch.zeros([50]), 0, 2);
  t.ok((ri.max().item() as number) <= 1);
});

t.test('cat, stack, where', async (t) => {
  const a = torch.tensor([[1, 2]]);
  const b = torch.tensor([[3, 4]]);
  t.same(torch.cat([a, b]).toArray(), [[1, 2], [3, 4]]);
  t.same(torch.cat([a, b], 1).toArray(), [[1, 2, 3, 4]]);
  t.same(torch.stack([a, b]).shape, [2, 1, 2]);
  const cond = torch.tensor([true, false, true]);
  t.same(torch.where(cond, torch.tensor([1, 2, 3]), torch.tensor([9, 9, 9])).toArray(), [1, 9, 3]);
  t.same(torch.where(cond, torch.tensor([1, 2, 3]), 0).toArray(), [1, 0, 3]);
});

t.test('values an integer dtype cannot hold are errors, as in PyTorch, not wrapped numbers', async (t) => {
  const overflow = /cannot be converted to (int64|int32|int16|int8|uint8) without overflow/;
  t.throws(() => torch.tensor([1, NaN], { dtype: 'int64' }), /value NaN \(element 1 in row-major order\) cannot be converted to int64/);
  t.throws(() => torch.tensor([[Infinity]], { dtype: 'int32' }), overflow);
  t.throws(() => torch.tensor([1e300], { dtype: 'int64' }), overflow);
  t.throws(() => torch.tensor([2 ** 63], { dtype: 'int64' }), overflow);
  t.throws(() => torch.tensor([300, -200], { dtype: 'int8' }), /value 300 .* int8/);
  t.throws(() => torch.tensor([-1], { dtype: 'uint8' }), /value -1 .* uint8/);
  t.throws(() => torch.tensor([2n ** 64n + 5n]), /int64 without overflow/);
  t.throws(() => torch.tensor([-(2n ** 63n) - 1n], { dtype: 'float32' }), /int64 without overflow/, 'bigints travel as int64 whatever the dtype');
  t.same(torch.tensor([127, -128], { dtype: 'int8' }).toArray(), [127, -128], 'the limits themselves fit');
  t.same(torch.tensor([255], { dtype: 'uint8' }).toArray(), [255]);
  t.same(torch.tensor([2.9, -2.9], { dtype: 'int64' }).toArray(), [2, -2], 'fractions truncate toward zero, as PyTorch');
  t.same(torch.tensor([NaN, Infinity]).toArray(), [NaN, Infinity], 'float dtypes hold them');
});
