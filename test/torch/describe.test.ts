// describeValue(): how error messages show a user's value, in bounded time and length, and
// the messages across lib/ that use it: a tensor argument is named by shape, dtype and device,
// never printed (String() of a 6e8-element view once cost seconds in a message).
import t from 'tap';

import { nn, torch } from '../../lib/index.js';
import { describeValue } from '../../lib/torch/describe.js';
import { errorsOf } from '../helpers/child.js';

t.test('describes each kind of value briefly', async (t) => {
  t.equal(describeValue(torch.zeros([2, 3])), 'a Tensor of shape [2, 3], float32 on cpu');
  t.equal(describeValue(torch.zeros([], { dtype: 'int64' })), 'a Tensor of shape [], int64 on cpu');
  t.equal(describeValue(torch.zeros([2], { dtype: 'bfloat16' })), 'a Tensor of shape [2], bfloat16 on cpu');
  t.equal(describeValue(new nn.Linear(2, 3).weight), 'a Parameter of shape [3, 2], float32 on cpu');
  const gone = torch.ones([1]);
  gone.dispose();
  t.equal(describeValue(gone), 'a disposed Tensor');
  t.equal(describeValue(1.5), '1.5');
  t.equal(describeValue(-0), '-0');
  t.equal(describeValue(NaN), 'NaN');
  t.equal(describeValue(-Infinity), '-Infinity');
  t.equal(describeValue(12n), '12n');
  t.equal(describeValue('abc'), '"abc"');
  t.equal(describeValue('x'.repeat(1000)), `"${'x'.repeat(60)}"… (1000 characters)`);
  t.equal(describeValue(true), 'true');
  t.equal(describeValue(null), 'null');
  t.equal(describeValue(undefined), 'undefined');
  t.equal(describeValue(Symbol('s')), 'Symbol("s")');
  t.equal(describeValue(function named() {}), 'the function named');
  t.equal(describeValue(() => 1), 'a function');
  t.equal(describeValue([]), '[]');
  t.equal(describeValue([1, 'a', [2, [3]], { x: 1 }]), '[1, "a", [2, an array of length 1], { x: 1 }]');
  t.equal(describeValue(Array.from({ length: 20 }, (_, i) => i)), '[0, 1, 2, 3, 4, 5, 6, 7, … (length 20)]');
  t.equal(describeValue({ lr: 0.1, betas: [0.9, 0.999] }), '{ lr: 0.1, betas: [0.9, 0.999] }');
  t.equal(describeValue({ 'a-b': 1 }), '{ "a-b": 1 }');
  t.equal(describeValue(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))), '{ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, … (20 keys) }');
  t.equal(describeValue(Object.create(null)), '{}');
  t.equal(describeValue(new Float32Array(5)), 'a Float32Array of length 5');
  t.equal(describeValue(new Map([[1, 2]])), 'a Map of size 1');
  t.equal(describeValue(new Set()), 'a Set of size 0');
  t.equal(describeValue(new Date(0)), 'a Date');
  t.equal(describeValue(new Error('x')), 'an Error');
  t.equal(describeValue(new nn.Linear(2, 3)), 'a Linear');
  const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, has: () => { throw new Error('no'); }, getPrototypeOf: () => { throw new Error('no'); } });
  t.equal(describeValue(hostile), 'an object', 'a value whose traps throw is still described');
  const nested = { a: { b: { c: { d: 1 } } } };
  t.equal(describeValue(nested), '{ a: { b: an object with 1 key } }');
  t.ok(describeValue({ s: 'y'.repeat(10_000), t: 'z'.repeat(10_000) }).length <= 300, 'at most 300 characters');
});

t.test('huge and sparse values cost nothing to describe', async (t) => {
  const sparse: unknown[] = [];
  sparse.length = 2 ** 32 - 1;
  const dense: number[] = new Array(1e6).fill(1);
  const started = performance.now();
  t.equal(describeValue(sparse), 'a sparse array of length 4294967295');
  t.equal(describeValue(dense), '[1, 1, 1, 1, 1, 1, 1, 1, … (length 1000000)]');
  t.equal(describeValue(torch.zeros([1, 1]).expand([1e6, 1e6])), 'a Tensor of shape [1000000, 1000000], float32 on cpu');
  t.equal(describeValue([1, , 3]), 'a sparse array of length 3'); // eslint-disable-line no-sparse-arrays
  t.ok(performance.now() - started < 200, 'in well under a second');
});

t.test('error messages across lib/ describe a huge tensor argument at once (in a child with a time limit)', async (t) => {
  const T = 'a Tensor of shape [20000, 30000], float32 on cpu';
  const r = errorsOf(
    `const T = torch.zeros([1, 1]).expand([2e4, 3e4]);
const p = torch.zeros([2]).requiresGrad_();
const { bert, data } = plm;`,
    {
      'nn.Dropout': 'new nn.Dropout(T)',
      'nn.Linear': 'new nn.Linear(T, 2)',
      'nn.Embedding paddingIdx': 'new nn.Embedding(10, 2, { paddingIdx: T })',
      'nn.init.calculateGain': 'nn.init.calculateGain(T)',
      'nn.functional.dropout': 'nn.functional.dropout(p, T)',
      'nn.functional.crossEntropy reduction': 'nn.functional.crossEntropy(torch.zeros([2, 3]), torch.zeros([2], { dtype: "int64" }), { reduction: T })',
      'Module.to dtype': 'new nn.Linear(2, 2).to({ dtype: T })',
      'ModuleList.at': 'new nn.ModuleList([new nn.Linear(1, 1)]).at(T)',
      'optim.SGD lr': 'new optim.SGD([p], { lr: T })',
      'optim.AdamW eps': 'new optim.AdamW([p], { eps: T })',
      'optim.clipGradNorm_': 'optim.clipGradNorm_([p], T)',
      'schedules.polynomialWithWarmup': 'optim.schedules.polynomialWithWarmup(1, 10, { lrInit: 1, lrEnd: T })',
      'torch.zeros shape[0]': 'torch.zeros([T])',
      'torch.zeros shape': 'torch.zeros(T)',
      'torch.zeros dtype': 'torch.zeros([1], { dtype: T })',
      'torch.zeros device': 'torch.zeros([1], { device: T })',
      'Tensor.size': 'p.size(T)',
      'Tensor.to': 'p.to(5)',
      'torch.autocast dtype': 'torch.autocast({ dtype: T }, () => 1)',
      'data.Random seed': 'new data.Random(T)',
      'bert.BertConfig hidden_act': 'new bert.BertConfig({ hidden_act: T })',
    },
  );
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.status, 0, r.stderr.slice(0, 500));
  for (const [where, e] of Object.entries(r.errors)) {
    t.ok(e, `${where} throws`);
    if (!e) continue;
    t.notMatch(e.message, /tensor\(/, `${where} does not print the tensor`);
    if (where === 'Tensor.to') t.match(e.message, /got 5$/, where);
    else t.ok(e.message.includes(T), `${where}: ${e.message}`);
    t.ok(e.ms < 500, `${where} took ${e.ms.toFixed(0)} ms`);
  }
  t.equal(Object.keys(r.errors).length, 21);
});

t.test('dtype and reduction names are looked up as strings only', async (t) => {
  t.throws(() => torch.zeros([1], { dtype: 'constructor' as never }), { name: 'TypeError', message: /dtype must be one of .*; got "constructor"/ });
  t.throws(() => torch.zeros([1], { dtype: 'toString' as never }), { name: 'TypeError', message: /got "toString"/ });
  t.throws(() => torch.functional.crossEntropy(torch.zeros([2, 3]), torch.zeros([2], { dtype: 'int64' }), { reduction: 'constructor' as never }), {
    name: 'TypeError',
    message: "reduction must be 'none', 'mean' or 'sum'; got \"constructor\"",
  });
});
