// The addon in two worker_threads at once: each has its own handles and grad mode, both
// compute correctly, and terminating a worker leaves the main thread healthy.
import t from 'tap';
import { Worker } from 'node:worker_threads';

import { torch } from '../../lib/index.js';

const index = new URL('../../lib/index.js', import.meta.url).href;

const job = `
import { workerData, parentPort } from 'node:worker_threads';
const { torch } = await import(workerData.index);
const n = workerData.n;
let total = 0;
for (let i = 0; i < 200; i++) {
  total += torch.tidy(() => {
    const x = torch.full([n, n], workerData.value);
    const w = torch.eye(n, undefined, { requiresGrad: true });
    const y = x.matmul(w).sum();
    y.backward();
    return w.grad.sum().item();
  });
}
parentPort.postMessage({ total, memory: torch.memory(), gradEnabled: torch.isGradEnabled() });
`;

function runWorker(value: number, n: number): Promise<{ total: number; memory: { tensors: number }; gradEnabled: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(job, { eval: true, workerData: { index, value, n } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

t.test('two workers compute at once, each with its own tensors', async (t) => {
  torch.setGradEnabled(false);
  try {
    const [a, b] = await Promise.all([runWorker(1, 8), runWorker(2, 16)]);
    // d(sum(X·W))/dW[i][j] = column sum of X = value·n, over n² entries: value·n³
    t.equal(a.total, 200 * 1 * 8 ** 3);
    t.equal(b.total, 200 * 2 * 16 ** 3);
    t.equal(a.memory.tensors, 0, 'worker a freed everything');
    t.equal(b.memory.tensors, 0);
    t.ok(a.gradEnabled && b.gradEnabled, "the main thread's grad mode does not leak into workers");
  } finally {
    torch.setGradEnabled(true);
  }
  t.same(torch.ones([2]).add(1).toArray(), [2, 2], 'main thread unaffected');
});

t.test('terminating a worker mid-computation leaves the process healthy', async (t) => {
  const worker = new Worker(
    `import { workerData, parentPort } from 'node:worker_threads';
     const { torch } = await import(workerData.index);
     parentPort.postMessage('started');
     for (;;) torch.tidy(() => torch.randn([256, 256]).matmul(torch.randn([256, 256])).sum());`,
    { eval: true, workerData: { index } },
  );
  await new Promise((resolve) => worker.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const code = await worker.terminate();
  t.equal(code, 1, 'terminated');
  t.same(torch.tensor([1, 2]).mul(2).toArray(), [2, 4], 'main thread still computes');
  const again = await runWorker(1, 4);
  t.equal(again.total, 200 * 4 ** 3, 'a new worker loads the addon again');
});

t.test('workers terminated at random moments, 40 times, never abort the process', async (t) => {
  // In a child process, so that an abort is a failed exit code here rather than the end of
  // this test file. A native call cut short by terminate() must not escape as a C++ exception.
  const { spawnSync } = await import('node:child_process');
  const code = `
    import { Worker } from 'node:worker_threads';
    for (let i = 0; i < 40; i++) {
      const worker = new Worker(\`import { workerData, parentPort } from 'node:worker_threads';
        const { torch } = await import(workerData.index);
        parentPort.postMessage('started');
        for (;;) torch.tidy(() => torch.randn([256, 256]).matmul(torch.randn([256, 256])).sum());\`, { eval: true, workerData: { index: ${JSON.stringify(index)} } });
      await new Promise((r) => worker.once('message', r));
      await new Promise((r) => setTimeout(r, 5 + ((i * 37) % 50)));
      await worker.terminate();
    }
    console.log('survived');`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120_000 });
  t.equal(child.status, 0, child.stderr);
  t.equal(child.stdout.trim(), 'survived');
});
