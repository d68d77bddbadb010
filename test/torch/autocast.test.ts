import t from 'tap';

import { nn, torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

t.test('autocast runs matmuls in bfloat16 on CPU and restores the previous state', async (t) => {
  torch.manualSeed(0);
  const a = torch.randn([16, 32]);
  const b = torch.randn([32, 8]);
  const reference = a.matmul(b);
  const inside = torch.autocast({ device: 'cpu' }, () => a.matmul(b));
  t.equal(inside.dtype, 'bfloat16');
  t.ok(maxAbsDiff(inside.float().toArray(), reference.toArray()) < 0.25, 'bf16 product close to the float32 one');
  t.equal(a.matmul(b).dtype, 'float32', 'off again after the region');
  const lin = new nn.Linear(32, 4);
  const out = torch.autocast({}, () => lin.forward(a));
  t.equal(out.dtype, 'bfloat16');
  t.equal(lin.weight.dtype, 'float32', 'weights stay float32');
  out.float().sum().backward();
  t.equal(lin.weight.grad!.dtype, 'float32', 'gradients reach the float32 weights');
  const nested = torch.autocast({}, () => torch.autocast({ enabled: false }, () => a.matmul(b)));
  t.equal(nested.dtype, 'float32', 'an inner enabled: false region turns it off');
  t.equal(torch.autocast({}, () => a.add(b.sum())).dtype, 'float32', 'elementwise ops keep float32');
  t.throws(() => torch.autocast({ dtype: 'int8' }, () => 1), /bfloat16 or float16/);
  t.throws(() => torch.autocast({ device: 'tpu' as 'cpu' }, () => 1), /'cpu' or 'cuda'/);
  t.throws(() => torch.autocast({}, (async () => 1) as unknown as () => number), /Promise/);
  t.equal(a.matmul(b).dtype, 'float32', 'state restored after errors');
});

t.test('RNG state saves and restores exactly', async (t) => {
  torch.manualSeed(11);
  torch.randn([3]);
  const state = torch.getRngState();
  t.equal(state.dtype, 'uint8');
  const first = torch.randn([5]).toArray();
  const drop = torch.functional.dropout(torch.ones([20]), 0.5).toArray();
  torch.setRngState(state);
  t.same(torch.randn([5]).toArray(), first);
  t.same(torch.functional.dropout(torch.ones([20]), 0.5).toArray(), drop, 'dropout masks repeat too');
  t.throws(() => torch.setRngState(torch.zeros([3], { dtype: 'uint8' })), { name: 'TorchError' });
});
