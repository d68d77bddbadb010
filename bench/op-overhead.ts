// Time per op from Node against Python PyTorch on the same libtorch, in the same run:
// an add of 16 floats, an 8×8 matmul, and a chain of 20 ops under autograd (forward and
// backward). Prints µs per op and the ratio (below 1 means plm-torch is faster).
// Node runs its ops as a training loop should, inside torch.tidy (100 ops a scope), and
// also without a scope, where each result is left to the GC backstop and then disposed.
// Both sides run libtorch on one thread and are timed in process CPU time, taking turns,
// so that what other processes do to a shared machine does not count.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { torch } from '../lib/index.js';
import { packageRoot } from '../lib/native.js';

const ROUNDS = 8;
const ITERATIONS = { add16: 100_000, matmul8: 50_000, chain20: 2_000 };
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
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) run();
  const used = process.cpuUsage(start);
  // The chain counts 20 forward ops (10 mul, 10 tanh) plus sum and backward: per chain.
  return (used.user + used.system) / n;
}

// Python answers one timing request a line ("name n" → µs per op), so that the two
// runtimes can take turns many times and machine noise hits both alike.
const PYTHON = `
import time, torch, sys
torch.set_num_threads(1)
a = torch.randn(16); m = torch.randn(8, 8); w = torch.randn(16, requires_grad=True)
def add16(): a.add(a)
def matmul8(): m.matmul(m)
def chain20():
    x = w
    for i in range(10): x = x.mul(1.01).tanh()
    x.sum().backward(); w.grad = None
for line in sys.stdin:
    name, n = line.split(); n = int(n); f = globals()[name]
    for i in range(n // 10): f()
    t = time.process_time()
    for i in range(n): f()
    print((time.process_time() - t) * 1e6 / n, flush=True)
`;

class PythonPeer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  #waiting: ((line: string) => void) | undefined;

  constructor(python: string) {
    this.#child = spawn(python, ['-c', PYTHON]);
    let buffer = '';
    this.#child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (this.#waiting) {
          const resolve = this.#waiting;
          this.#waiting = undefined;
          resolve(line);
        } else this.#lines.push(line);
      }
    });
  }

  time(name: string, n: number): Promise<number> {
    this.#child.stdin.write(`${name} ${n}\n`);
    return new Promise((resolve) => {
      const ready = this.#lines.shift();
      if (ready !== undefined) resolve(Number(ready));
      else this.#waiting = (line) => resolve(Number(line));
    });
  }

  close(): void {
    this.#child.stdin.end();
  }
}

const labels: Record<keyof typeof ITERATIONS, string> = {
  add16: 'add of 16 floats',
  matmul8: '8×8 matmul',
  chain20: 'chain of 20 ops + backward',
};

torch.setNumThreads(1);
const pythonPath = process.env.PLM_TORCH_PYTHON ?? join(packageRoot, '.venv/bin/python');
const peer = existsSync(pythonPath) ? new PythonPeer(pythonPath) : undefined;
const node: Record<string, number> = {};
const unscoped: Record<string, number> = {};
const python: Record<string, number> = {};
const best = (table: Record<string, number>, key: string, value: number) => {
  table[key] = Math.min(table[key] ?? Infinity, value);
};
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(ITERATIONS) as (keyof typeof ITERATIONS)[]) {
    best(node, name, timeNode(name, true));
    if (peer) best(python, name, await peer.time(name, ITERATIONS[name]));
    best(unscoped, name, timeNode(name, false));
  }
}
peer?.close();

const info = torch.runtimeInfo();
process.stdout.write(`op overhead (CPU µs per op): plm-torch (Node ${process.versions.node}) vs Python PyTorch, libtorch ${info.version}, 1 thread\n`);
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
