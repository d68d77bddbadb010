// ModuleList and Sequential take their modules from any iterable, checked before the walk.
import t from 'tap';

import { nn } from '../../lib/index.js';

t.test('a sparse or huge module list is refused at once, naming it', async (t) => {
  const huge: nn.Module[] = [];
  huge.length = 2 ** 32 - 1;
  const started = performance.now();
  t.throws(() => new nn.ModuleList(huge), { name: 'RangeError', message: /^ModuleList\(modules\) has length 4294967295, more than the 134217725 elements a JavaScript array can hold/ });
  const holes = [new nn.Linear(1, 1)];
  holes.length = 3;
  t.throws(() => new nn.ModuleList(holes), { name: 'TypeError', message: 'ModuleList(modules) is a sparse array: index 1 of its length 3 is an empty slot (a hole); pass an array that holds every element' });
  t.ok(performance.now() - started < 500);
});

t.test('modules from arrays and other iterables; at() takes integers', async (t) => {
  const a = new nn.Linear(1, 2);
  const b = new nn.Linear(2, 1);
  const list = new nn.ModuleList(new Set([a, b]));
  t.equal(list.length, 2);
  t.equal(list.at(-1), b);
  t.equal(new nn.Sequential(a, b).length, 2);
  t.throws(() => list.at(2), { name: 'RangeError', message: 'index 2 is out of range for a ModuleList of 2' });
  t.throws(() => list.at(0.5), { name: 'TypeError', message: 'ModuleList.at(): index must be an integer, got 0.5' });
  t.throws(() => list.at('0' as never), { name: 'TypeError', message: 'ModuleList.at(): index must be an integer, got "0"' });
});
