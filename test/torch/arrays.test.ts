// Array arguments are checked before they are walked: `a.length = 2 ** 32 - 1` makes four
// billion holes in O(1), and a wrapper that spreads or maps it (or hands it to libtorch, which
// reads every index) works for minutes or aborts. Each is refused at once, naming the argument.
import t from 'tap';

import { torch } from '../../lib/index.js';
import { checkDenseArray, MAX_ARRAY_LENGTH } from '../../lib/torch/arrays.js';
import { errorsOf } from '../helpers/child.js';

t.test('checkDenseArray: the length first, then the first hole', async (t) => {
  const sparse: unknown[] = [];
  sparse.length = 2 ** 32 - 1;
  t.throws(() => checkDenseArray(sparse, 'x'), { name: 'RangeError', message: `x has length 4294967295, more than the ${MAX_ARRAY_LENGTH} elements a JavaScript array can hold, so it is a sparse array (mostly empty slots); pass an array that holds every element` });
  const holes: unknown[] = [1, 2];
  holes.length = 1000;
  t.throws(() => checkDenseArray(holes, 'x'), { name: 'TypeError', message: 'x is a sparse array: index 2 of its length 1000 is an empty slot (a hole); pass an array that holds every element' });
  t.throws(() => checkDenseArray([1, 2, 3], 'x', 2), { name: 'RangeError', message: 'x has length 3, more than the 2 elements allowed here' });
  t.doesNotThrow(() => checkDenseArray([1, undefined, 3], 'x'), 'undefined is an element, not a hole');
  t.doesNotThrow(() => checkDenseArray(new Array(1e6).fill(0), 'x'));
});

t.test('torch.tensor(): holes, huge shapes and self-nesting are errors naming where', async (t) => {
  const inner: number[] = [1, 2];
  inner.length = 3;
  t.throws(() => torch.tensor([[1, 2, 3], inner]), { name: 'TypeError', message: /^tensor\(\): data\[1\] is a sparse array: index 2 of its length 3 is an empty slot/ });
  t.throws(() => torch.tensor([1, , 3] as number[]), { name: 'TypeError', message: /^tensor\(\): data is a sparse array: index 1 / }); // eslint-disable-line no-sparse-arrays
  const rows = new Array(1e5).fill(new Array(1e5).fill(0)); // 10^10 elements through one shared row
  t.throws(() => torch.tensor(rows), { name: 'RangeError', message: /^tensor\(\): data of shape \[100000, 100000\] has 10000000000 elements, more than the 134217725/ });
  const loop: unknown[] = [];
  loop.push(loop);
  t.throws(() => torch.tensor(loop as never), { name: 'RangeError', message: 'tensor(): data is nested more than 128 arrays deep (does an array hold itself?)' });
  t.same(torch.tensor([[1, 2], [3, 4]]).toArray(), [[1, 2], [3, 4]], 'dense data is as before');
  t.same(torch.tensor([[], []]).shape, [2, 0]);
});

t.test('every public walk of an array refuses a huge sparse one at once (in a child with a time limit)', async (t) => {
  const r = errorsOf(
    `const a = []; a.length = 2 ** 32 - 1;
const h = []; h.length = 1e8; // under V8's longest array, so only the hole check catches it
const x = torch.zeros([2, 2]);
const p = torch.zeros([2]).requiresGrad_();
const y = p.mul(2).sum();`,
    {
      'torch.tensor': 'torch.tensor(a)',
      'torch.tensor holes': 'torch.tensor(h)',
      'torch.zeros': 'torch.zeros(a)',
      'torch.zeros holes': 'torch.zeros(h)',
      'torch.ones': 'torch.ones(a)',
      'torch.full': 'torch.full(a, 1)',
      'torch.randint': 'torch.randint(0, 2, a)',
      'view': 'x.view(a)',
      'reshape holes': 'x.reshape(h)',
      'permute': 'x.permute(a)',
      'expand': 'x.expand(a)',
      'repeat': 'x.repeat(a)',
      'squeeze': 'x.squeeze(a)',
      'split': 'x.split(a)',
      'flip holes': 'x.flip(h)',
      'sum': 'x.sum(a)',
      'mean holes': 'x.mean(h)',
      'var': 'x.var(a)',
      'std': 'x.std(a)',
      'norm': 'x.norm(2, a)',
      'logsumexp': 'x.logsumexp(a)',
      'index': 'x.index(a)',
      'torch.cat': 'torch.cat(a)',
      'torch.stack holes': 'torch.stack(h)',
      'torch.ops list': 'torch.ops.aten.flip.default(x, a)',
      'torch.ops tensor list': 'torch.ops.aten.cat.default(h)',
      'autograd.grad inputs': 'torch.autograd.grad(y, a)',
      'autograd.grad gradOutputs': 'torch.autograd.grad(y, [p], { gradOutputs: h })',
      'autograd.backward': 'torch.autograd.backward(a)',
      'layerNorm': 'torch.functional.layerNorm(x, a)',
    },
  );
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.status, 0, r.stderr.slice(0, 500));
  for (const [where, e] of Object.entries(r.errors)) {
    t.ok(e, `${where} throws`);
    if (!e) continue;
    t.match(e.name, /^(TypeError|RangeError)$/, where);
    t.match(e.message, / is a sparse array: index 0 | has length 4294967295, more than the 134217725 elements a JavaScript array can hold, so it is a sparse array/, `${where}: ${e.message}`);
    t.ok(e.ms < 500, `${where} took ${e.ms.toFixed(0)} ms`);
  }
  t.equal(Object.keys(r.errors).length, 30);
});

t.test('the errors name the argument', async (t) => {
  const a: number[] = [];
  a.length = 2 ** 32 - 1;
  const x = torch.zeros([2, 2]);
  t.throws(() => torch.zeros(a), { message: /^zeros\(\): shape has length 4294967295/ });
  t.throws(() => x.view(a), { message: /^view\(\): shape has length/ });
  t.throws(() => x.permute(a), { message: /^permute\(\): dims has length/ });
  t.throws(() => x.sum(a), { message: /^sum\(\): dim has length/ });
  t.throws(() => torch.cat(a as never), { message: /^cat\(\): tensors has length/ });
  t.throws(() => torch.ops.aten.flip.default(x, a), { message: /^aten::flip\(\): argument 'dims' has length/ });
  t.throws(() => torch.autograd.grad(x, a as never), { message: /^inputs has length/ });
  t.same(x.view([4]).shape, [4], 'dense arrays work as before');
  t.same(x.sum([0, 1]).shape, []);
});
