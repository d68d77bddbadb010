// Time per op from Node against Python PyTorch on the same libtorch, in the same run:
// an add of 16 floats, an 8×8 matmul, and a chain of 20 ops under autograd (forward and
// backward). Prints µs per op and the ratio (below 1 means plm-torch is faster).
// Node runs its ops as a training loop should, inside torch.tidy (100 ops a scope), and
// also without a scope, where each result is left to the GC backstop and then disposed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { torch } from '../lib/index.js';
import { packageRoot } from '../lib/native.js';

const ROUNDS = 5;
const ITERATIONS = { add16: 200_000, matmul8: 100_000, chain20: 5_000 };
const PER_SCOPE = 100;

function timeNode(name: keyof typeof ITERATIONS, scoped: boolean): number {
  const n = ITERATIONS[name];
  const a = torch.keep(torch.randn([16]));
  const m = torch.keep(torch.randn([8, 8]));
  const w = torch.keep(torch.randn([16], { requiresGrad: true }));
  const body: Record<keyof typeof ITERATIONS, () => void> = {
    add16: scoped ? () => torch.tidy(() => { for (let i = 0; i < PER_SCOPE; i++) a.add(a); }) : () => a.add(a).dispose(),
    matmul8: scoped ? () => torch.tidy(() => { for (let i = 0; i < PER_SCOPE; i++) m.matmul(m); }) : () => m.matmul(m).dispose(),
    chain20: () =>
      torch.tidy(() => {
        let x = w;
        for (let i = 0; i < 10; i++) x = x.mul(1.01).tanh();
        x.sum().backward();
        w.grad = null;
      }),
  };
  const run = body[name];
  const opsPerCall = scoped && name !== 'chain20' ? PER_SCOPE : 1;
  const calls = n / opsPerCall;
  for (let i = 0; i < calls / 10; i++) run();
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / n);
  }
  // The chain counts 20 forward ops (10 mul, 10 tanh) plus sum and backward: per chain.
  return best;
}

const PYTHON = `
import time, torch, json, sys
torch.set_num_threads(${torch.getNumThreads()})
a = torch.randn(16); m = torch.randn(8, 8); w = torch.randn(16, requires_grad=True)
def add16(): a.add(a)
def matmul8(): m.matmul(m)
def chain20():
    x = w
    for i in range(10): x = x.mul(1.01).tanh()
    x.sum().backward(); w.grad = None
out = {}
for name, n in ${JSON.stringify(ITERATIONS)}.items():
    f = globals()[name]
    for i in range(n // 10): f()
    best = float('inf')
    for r in range(${ROUNDS}):
        t = time.perf_counter()
        for i in range(n): f()
        best = min(best, (time.perf_counter() - t) * 1e6 / n)
    out[name] = best
print(json.dumps(out))
`;

function timePython(): Record<string, number> | undefined {
  const python = process.env.PLM_TORCH_PYTHON ?? join(packageRoot, '.venv/bin/python');
  if (!existsSync(python)) return undefined;
  const result = spawnSync(python, ['-c', PYTHON], { encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`Python PyTorch could not run: ${result.stderr}\n`);
    return undefined;
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const labels: Record<keyof typeof ITERATIONS, string> = {
  add16: 'add of 16 floats',
  matmul8: '8×8 matmul',
  chain20: 'chain of 20 ops + backward',
};

const node: Record<string, number> = {};
const unscoped: Record<string, number> = {};
const python: Record<string, number> = {};
// Alternate the two so that machine noise hits both alike.
for (let round = 0; round < 2; round++) {
  for (const name of Object.keys(ITERATIONS) as (keyof typeof ITERATIONS)[]) {
    node[name] = Math.min(node[name] ?? Infinity, timeNode(name, true));
    unscoped[name] = Math.min(unscoped[name] ?? Infinity, timeNode(name, false));
  }
  const py = timePython();
  if (py) for (const [k, v] of Object.entries(py)) python[k] = Math.min(python[k] ?? Infinity, v);
}

const info = torch.runtimeInfo();
process.stdout.write(`op overhead: plm-torch (Node ${process.versions.node}) vs Python PyTorch, libtorch ${info.version}, ${info.threads} threads\n`);
process.stdout.write(
  `${'op'.padEnd(30)} ${'in tidy µs'.padStart(11)} ${'no scope µs'.padStart(12)} ${'PyTorch µs'.padStart(11)} ${'ratio (tidy)'.padStart(13)} ${'ratio (no scope)'.padStart(17)}\n`,
);
for (const name of Object.keys(ITERATIONS) as (keyof typeof ITERATIONS)[]) {
  const theirs = python[name];
  const ratio = (ours: number) => (theirs === undefined ? 'n/a' : (ours / theirs).toFixed(2));
  process.stdout.write(
    `${labels[name].padEnd(30)} ${node[name]!.toFixed(2).padStart(11)} ${unscoped[name]!.toFixed(2).padStart(12)} ${(theirs?.toFixed(2) ?? 'n/a').padStart(11)} ${ratio(node[name]!).padStart(13)} ${ratio(unscoped[name]!).padStart(17)}\n`,
  );
}
