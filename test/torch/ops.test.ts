// torch.ops: any ATen operator by schema name, Tensors in and out. Values are checked against
// ones worked out by hand.
import t from 'tap';

import { Tensor, torch, TorchError } from '../../lib/index.js';
import { parseSchema } from '../../lib/torch/ops.js';

const { aten } = torch.ops;
const m = () => torch.tensor([[1, 2], [3, 4]]);

t.test('aten::add.Tensor and friends compute what hand arithmetic gives', async (t) => {
  const a = m();
  const b = torch.tensor([[10, 20], [30, 40]]);
  t.same(aten.add.Tensor(a, b).toArray(), [[11, 22], [33, 44]]);
  t.same(aten.add.Tensor(a, b, { alpha: 2 }).toArray(), [[21, 42], [63, 84]], 'a + 2b, alpha by name');
  t.same(aten.add.Tensor(a, b, 3).toArray(), [[31, 62], [93, 124]], 'a + 3b: a keyword-only argument in schema order');
  t.same(aten.add.Scalar(a, 0.5).toArray(), [[1.5, 2.5], [3.5, 4.5]]);
  t.same(aten.sub.Tensor(b, a).toArray(), [[9, 18], [27, 36]]);
  t.same(aten.mul.Tensor(a, b).toArray(), [[10, 40], [90, 160]]);
  t.same(aten.mm(a, b).toArray(), [[70, 100], [150, 220]], '[[1*10+2*30, 1*20+2*40], [3*10+4*30, 3*20+4*40]]');
  t.same(aten.mm.default(a, b).toArray(), [[70, 100], [150, 220]], '.default is the overload without a name');
  t.same(aten.relu(torch.tensor([-1, 0, 2.5])).toArray(), [0, 0, 2.5]);
  t.same(aten.clamp(torch.tensor([-3, 0.5, 9]), -1, 1).toArray(), [-1, 0.5, 1]);
  t.same(aten.div.Tensor_mode(torch.tensor([7, -7]), torch.tensor([2, 2]), { rounding_mode: 'floor' }).toArray(), [3, -4]);
  t.same(aten.div.Tensor_mode(torch.tensor([7, -7]), torch.tensor([2, 2]), { roundingMode: 'trunc' }).toArray(), [3, -3], 'camelCase names too');
});

t.test('results are ordinary Tensors; lists, tuples and non-tensor results have their JS shapes', async (t) => {
  const a = m();
  const c = aten.add.Tensor(a, a);
  t.ok(c instanceof Tensor);
  t.equal(c.mul(2).sum().item(), 40, 'methods work on what torch.ops returns: (2+4+6+8)*2');

  const sums = aten.sum.dim_IntList(a, [1], { keepdim: true, dtype: 'float64' });
  t.same(sums.shape, [2, 1]);
  t.equal(sums.dtype, 'float64', 'a dtype name for a ScalarType argument');
  t.same(sums.toArray(), [[3], [7]]);
  t.equal(aten.sum.dim_IntList(a, [0], false, 'int64').dtype, 'int64');

  const [values, indices] = aten.topk<[Tensor, Tensor]>(torch.tensor([[5, 1, 9], [2, 8, 3]]), 2);
  t.ok(values instanceof Tensor && indices instanceof Tensor);
  t.same(values!.toArray(), [[9, 5], [8, 3]]);
  t.same(indices!.toArray(), [[2, 0], [1, 2]]);
  t.equal(indices!.dtype, 'int64');

  const parts = aten.split.Tensor<Tensor[]>(torch.arange(5), 2);
  t.same(parts.map((p) => p.toArray()), [[0, 1], [2, 3], [4]], 'Tensor[] becomes an array of Tensors');
  t.same(aten.cat(parts).toArray(), [0, 1, 2, 3, 4], 'and a Tensor[] argument takes one');
  t.same(aten.index.Tensor(m(), [null, torch.tensor([1, 0], { dtype: 'int64' })]).toArray(), [[2, 1], [4, 3]], 'Tensor?[] takes nulls');

  t.equal(aten.size.int<number>(torch.zeros([2, 7]), 1), 7, 'an int result is a number');
  t.equal(aten.is_nonzero<boolean>(torch.tensor([3])), true, 'a bool result is a boolean');
  t.equal(aten.item<number>(torch.tensor([2.5])), 2.5, 'a Scalar result is a number');
  t.equal(aten.empty.memory_format([2, 3], { dtype: 'int32', device: 'cpu' }).dtype, 'int32');
});

t.test('in-place operators return a fresh Tensor sharing storage with their input', async (t) => {
  const x = torch.tensor([1, 2, 3]);
  const y = aten.add_.Tensor(x, torch.tensor([10, 10, 10]));
  t.not(y, x);
  t.same(x.toArray(), [11, 12, 13]);
  t.same(y.toArray(), [11, 12, 13]);
});

t.test('autograd sees calls through torch.ops', async (t) => {
  const x = torch.tensor([1, -2, 3], { requiresGrad: true, dtype: 'float64' });
  aten.sum(aten.mul.Tensor(x, x)).backward();
  t.same(x.grad!.toArray(), [2, -4, 6], 'd/dx sum(x^2) = 2x');
});

t.test('tensors made by torch.ops belong to the current tidy scope', async (t) => {
  const a = torch.keep(m());
  const before = torch.memory().tensors;
  const kept = torch.tidy(() => {
    aten.add.Tensor(a, a);
    aten.topk(a, 1);
    return aten.mul.Scalar(a, 3);
  });
  t.equal(torch.memory().tensors, before + 1, 'only the returned tensor survives');
  t.same(kept.toArray(), [[3, 6], [9, 12]]);
  kept.dispose();
  a.dispose();
});

t.test('torch.ops.op looks an overload up by its full schema name', async (t) => {
  const add = torch.ops.op('aten::add.Tensor');
  t.equal(add, aten.add.Tensor, 'the same function either way');
  t.equal(add.name, 'aten::add.Tensor');
  t.equal(add.schema, 'aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor');
  t.equal(torch.ops.op('aten::relu'), aten.relu.default, 'no overload: the default one');
  t.same(torch.ops.op('aten::neg')(torch.tensor([1, -2])).toArray(), [-1, 2]);
  t.equal(aten.add, aten.add, 'operators are cached');
  t.equal(String(aten), 'torch.ops.aten');
  t.equal(await Promise.resolve(aten.add), aten.add, 'an operator is not a thenable');
});

t.test('bad names say what is wrong', async (t) => {
  t.throws(() => aten.addd.Tensor, { name: 'TypeError', message: /libtorch has no operator aten::addd \(asked for 'aten::addd\.Tensor'\)/ });
  t.throws(() => aten.add.Tensr, { name: 'TypeError', message: /aten::add has no overload 'Tensr' \(overloads found: Tensor, Scalar, out/ });
  t.throws(() => aten.add(m(), m()), { name: 'TypeError', message: /aten::add has no default overload; name one, e\.g\. torch\.ops\.aten\.add\.Tensor/ });
  t.throws(() => torch.ops.op('aten::nope.Tensor'), { name: 'TypeError', message: /libtorch has no operator aten::nope/ });
  t.throws(() => torch.ops.op('add.Tensor'), { name: 'TypeError', message: /expected a schema name like 'aten::add\.Tensor', got 'add\.Tensor'/ });
  t.throws(() => torch.ops.op(42 as unknown as string), { name: 'TypeError', message: /got number/ });
});

t.test('bad arguments are TypeErrors naming the argument; the process lives on', async (t) => {
  const a = m();
  t.throws(() => aten.add.Tensor(a, 2), { name: 'TypeError', message: "aten::add.Tensor(): argument 'other' must be a Tensor, got number" });
  t.throws(() => aten.add.Scalar(a, a), { name: 'TypeError', message: "aten::add.Scalar(): argument 'other' is a Scalar, not a Tensor" });
  t.throws(() => aten.add.Tensor(a, a, { alpah: 1 }), { name: 'TypeError', message: "aten::add.Tensor(): no argument 'alpah'; its arguments are self, other, alpha" });
  t.throws(() => aten.add.Tensor(a, a, 2, { alpha: 1 }), { name: 'TypeError', message: /argument 'alpha' given twice/ });
  t.throws(() => aten.add.Tensor(a, a, 1, 2), { name: 'TypeError', message: /aten::add\.Tensor\(\) takes 3 arguments, got 4/ });
  t.throws(() => aten.sum.dim_IntList(a, [1], { dtype: 'float65' }), { name: 'TypeError', message: /argument 'dtype' must be one of float32.*got "float65"/ });
  t.throws(() => aten.cat([a, 1]), { name: 'TypeError', message: "aten::cat(): argument 'tensors' element 1 must be a Tensor, got number" });
  t.throws(() => aten.add.Tensor(a), { name: 'TypeError', message: /missing argument 'other'/ });
  t.throws(() => aten.mm(a, torch.ones([3, 3])), TorchError, 'libtorch errors are TorchErrors');
  const gone = torch.tensor([1]);
  gone.dispose();
  t.throws(() => aten.neg(gone), { name: 'TorchError', code: 'DISPOSED' });
  t.same(aten.neg(a).toArray(), [[-1, -2], [-3, -4]], 'and it still computes');
});

t.test('schemas are read with their aliases, defaults and tuples', async (t) => {
  const split = parseSchema('aten::split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]');
  t.same(split.args.map((a) => [a.name, a.type, a.kind]), [['self', 'Tensor', 'tensor'], ['split_size', 'SymInt', 'other'], ['dim', 'int', 'other']]);
  t.same(split.returns, ['tensorList']);
  const conv = parseSchema('aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=[1, 1], SymInt[2] padding=[0, 0], SymInt[2] dilation=[1, 1], SymInt groups=1) -> Tensor');
  t.same(conv.args.map((a) => a.name), ['input', 'weight', 'bias', 'stride', 'padding', 'dilation', 'groups'], 'commas inside defaults');
  t.same(conv.args[2]!.kind, 'tensor');
  const seg = parseSchema('aten::segment_reduce(Tensor data, str reduce="a, b", *, Tensor? lengths=None, ScalarType? dtype=None) -> (Tensor values, Tensor(a!) indices, int n)');
  t.same(seg.args.map((a) => [a.name, a.kind]), [['data', 'tensor'], ['reduce', 'other'], ['lengths', 'tensor'], ['dtype', 'dtype']], 'quoted commas, the * marker');
  t.same(seg.returns, ['tensor', 'tensor', 'other']);
  t.same(parseSchema('aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor').args[1]!.kind, 'tensorList');
  t.same(parseSchema('aten::_foo(Tensor self) -> ()').returns, []);
  t.equal(parseSchema('aten::div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor').byName.get('roundingMode'), 3 - 1);
});
