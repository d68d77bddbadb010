// CUDA: runs where a GPU and a CUDA libtorch exist, skips with the reason elsewhere.
import t from 'tap';

import { torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

t.test('CUDA queries answer on any build', async (t) => {
  t.equal(typeof torch.cuda.isAvailable(), 'boolean');
  t.equal(torch.cuda.deviceCount() > 0, torch.cuda.isAvailable());
});

const noGpu = !torch.cuda.isAvailable() && 'no CUDA device (or a CPU-only libtorch) on this machine';

t.test('tensors move to the GPU and back, compute, and take gradients there', { skip: noGpu }, async (t) => {
  const a = torch.randn([64, 32], { dtype: 'float64' });
  const b = torch.randn([32, 16], { dtype: 'float64' });
  const onGpu = a.to('cuda').matmul(b.to('cuda'));
  t.equal(onGpu.device, 'cuda:0');
  t.ok(maxAbsDiff(onGpu.cpu().toArray(), a.matmul(b).toArray()) < 1e-10, 'same product as on the CPU');
  const w = torch.ones([3], { device: 'cuda', requiresGrad: true });
  w.mul(w).sum().backward();
  t.same(w.grad!.cpu().toArray(), [2, 2, 2]);
  torch.cuda.synchronize();
  const bf = torch.randn([128, 128], { device: 'cuda', dtype: 'bfloat16' });
  t.equal(bf.matmul(bf).dtype, 'bfloat16');
  t.throws(() => torch.ones([1], { device: 'cuda' }).add(torch.ones([1])), /same device|Expected all tensors/);
  t.throws(() => torch.zeros([1], { device: `cuda:${torch.cuda.deviceCount()}` }), /invalid device ordinal|CUDA error|device/i);
});
