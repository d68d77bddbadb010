// The optimizer's parameter lists (and clipGradNorm_'s) are checked before they are walked:
// a sparse array of length 2**32 - 1 once kept new optim.SGD(a) busy for 10 s before V8 gave up.
import t from 'tap';

import { optim, torch } from '../../lib/index.js';
import { errorsOf } from '../helpers/child.js';

t.test('huge or sparse parameter lists are refused at once, naming the list (in a child with a time limit)', async (t) => {
  const r = errorsOf(
    `const a = []; a.length = 2 ** 32 - 1;
const p = torch.zeros([2]).requiresGrad_();
const h = [p]; h.length = 1e8;`,
    {
      SGD: 'new optim.SGD(a)',
      AdamW: 'new optim.AdamW(a, { lr: 0.1 })',
      LAMB: 'new optim.LAMB(a)',
      'SGD with a hole after a parameter': 'new optim.SGD(h)',
      'a group': 'new optim.AdamW([{ params: a }])',
      'a second group': 'new optim.AdamW([{ params: [p] }, { params: h }])',
      clipGradNorm_: 'optim.clipGradNorm_(a, 1)',
      gradNorm: 'optim.gradNorm(h)',
    },
  );
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.status, 0, r.stderr.slice(0, 500));
  const e = r.errors;
  const huge = 'has length 4294967295, more than the 134217725 elements a JavaScript array can hold, so it is a sparse array (mostly empty slots); pass an array that holds every element';
  t.same(e.SGD && [e.SGD.name, e.SGD.message], ['RangeError', `the optimizer's params ${huge}`]);
  t.equal(e.AdamW?.message, `the optimizer's params ${huge}`);
  t.equal(e.LAMB?.message, `the optimizer's params ${huge}`);
  t.same(e['SGD with a hole after a parameter'] && [e['SGD with a hole after a parameter'].name, e['SGD with a hole after a parameter'].message], [
    'TypeError',
    "the optimizer's params is a sparse array: index 1 of its length 100000000 is an empty slot (a hole); pass an array that holds every element",
  ]);
  t.equal(e['a group']?.message, `param group 0: params ${huge}`);
  t.match(e['a second group']?.message, /^param group 1: params is a sparse array: index 1 of its length 100000000/);
  t.equal(e.clipGradNorm_?.message, `parameters ${huge}`);
  t.match(e.gradNorm?.message, /^parameters is a sparse array: index 1 /);
  for (const [where, v] of Object.entries(e)) t.ok(v && v.ms < 500, `${where} took ${v?.ms.toFixed(0)} ms`);
});

t.test('iterables other than arrays still work, and a non-iterable is a TypeError', async (t) => {
  const p = torch.zeros([2]).requiresGrad_();
  const q = torch.zeros([3]).requiresGrad_();
  t.equal(new optim.SGD(new Set([p, q])).paramGroups[0]!.params.length, 2);
  t.equal(new optim.SGD((function* () { yield p; yield q; })()).paramGroups[0]!.params.length, 2);
  t.equal(new optim.AdamW([{ params: new Set([p]) }, { params: [q], lr: 0.5 }]).paramGroups[1]!.lr, 0.5);
  t.throws(() => new optim.SGD(5 as never), { name: 'TypeError', message: "the optimizer's params must be an array or another iterable, got number" });
  t.throws(() => new optim.SGD([{ params: null }] as never), { name: 'TypeError', message: 'param group 0: params must be an array or another iterable, got null' });
  t.throws(() => new optim.SGD([p], { lr: -1 }), { name: 'RangeError', message: 'invalid learning rate: -1' });
  t.throws(() => new optim.SGD([p], { lr: 'fast' as never }), { name: 'RangeError', message: 'invalid learning rate: "fast"' });
  p.grad = torch.ones([2]);
  t.ok(Math.abs(optim.gradNorm(new Set([p])) - Math.SQRT2) < 1e-6, "gradNorm over a Set");
});
