// Dropout's argument check describes what it was given without printing it.
import t from 'tap';

import { nn, torch } from '../../lib/index.js';
import { runChild } from '../helpers/child.js';

t.test('Dropout names a wrong p briefly', async (t) => {
  t.throws(() => new nn.Dropout(1.5), { name: 'RangeError', message: 'dropout probability must be in [0, 1], got 1.5' });
  t.throws(() => new nn.Dropout('0.1' as never), { name: 'RangeError', message: 'dropout probability must be in [0, 1], got "0.1"' });
  t.throws(() => new nn.Dropout(torch.zeros([2, 3]) as never), { name: 'RangeError', message: 'dropout probability must be in [0, 1], got a Tensor of shape [2, 3], float32 on cpu' });
  t.equal(new nn.Dropout(0.1).p, 0.1);
});

t.test('Dropout given a 6e8-element tensor fails at once (in a child with a time limit)', async (t) => {
  const r = runChild(`const t0 = performance.now();
try { new nn.Dropout(torch.zeros([1, 1]).expand([2e4, 3e4])); out('no error'); } catch (e) { out([e.message, performance.now() - t0]); }`);
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.status, 0, r.stderr.slice(0, 500));
  const [message, ms] = r.result as [string, number];
  t.equal(message, 'dropout probability must be in [0, 1], got a Tensor of shape [20000, 30000], float32 on cpu');
  t.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
});
