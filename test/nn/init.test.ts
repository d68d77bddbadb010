// nn.init's initialisers refuse what is not a tensor by name (they read t.shape and call
// t.uniform_, which gave engine messages such as 't.uniform_ is not a function').
import t from 'tap';

import { nn, torch } from '../../lib/index.js';

t.test('nn.init names a missing tensor', async (t) => {
  for (const [name, f] of Object.entries(nn.init).filter(([k]) => k !== 'calculateGain')) {
    t.throws(() => (f as (t: unknown) => unknown)(undefined), { name: 'TypeError', message: new RegExp(`^nn\\.init\\.${name.replace('_', '\\_')}\\(\\): t must be a Tensor, got undefined`) }, name);
  }
});

t.test('nn.init computes as torch.nn.init on a real tensor', async (t) => {
  const w = torch.empty([4, 6]);
  nn.init.constant_(w, 0.25);
  t.same([...new Set(w.toTypedArray() as Float32Array)], [0.25]);
  t.equal(nn.init.fanIn(w), 6);
  nn.init.uniform_(w, -1, 1);
  t.ok((w.toTypedArray() as Float32Array).every((v) => v >= -1 && v <= 1));
});
