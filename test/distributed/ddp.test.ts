// Two processes with Gloo over loopback: collectives give the textbook results; DDP leaves
// both ranks with equal parameters, equal (within 1e-5) to one process trained on the same
// global batch, with and without noSync accumulation; a rank that dies ends the others' run
// with an error instead of a hang; bad rendezvous settings are clear errors.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from '../../lib/cli/launch.js';
import { distributed, io } from '../../lib/index.js';

const worker = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/ddp-worker.js');
const dir = mkdtempSync(join(tmpdir(), 'plm-ddp-'));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rank(mode: string, r: number, world: number, port: number, out: string): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, mode, String(r), String(world), String(port), out]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function group(mode: string, world: number, out: string): Promise<Exit[]> {
  const port = await freePort();
  return Promise.all(Array.from({ length: world }, (_, r) => rank(mode, r, world, port, out)));
}

function maxDifference(a: string, b: string): number {
  const x = io.loadSafetensors(a);
  const y = io.loadSafetensors(b);
  let max = 0;
  for (const [name, tensor] of Object.entries(x)) max = Math.max(max, tensor.sub(y[name]!).abs().max().item() as number);
  return max;
}

t.test('collectives across two processes', async (t) => {
  const exits = await group('collectives', 2, join(dir, 'c'));
  for (const e of exits) {
    t.equal(e.code, 0, e.stderr);
    t.same(JSON.parse(e.stdout), { sum: [3, 30], avg: [1.5], max: [3], broadcast: [42, 1], gathered: [[0, 0], [1, 1]] });
  }
});

t.test('collectives the ranks disagree on are an error on every rank, never an abort, and the group lives on', async (t) => {
  const exits = await group('mismatch', 2, join(dir, 'm'));
  for (const [r, e] of exits.entries()) {
    t.equal(e.code, 0, e.stderr);
    const { errors, after } = JSON.parse(e.stdout) as { errors: string[]; after: number[] };
    t.match(errors[0], /allGather\(\): the ranks passed different tensors .*rank 0: 1 tensor\(s\), 2 elements; rank 1: 1 tensor\(s\), 3 elements/, `rank ${r}: allGather of different lengths`);
    t.match(errors[1], new RegExp(`allReduce\\(\\): .*this rank, ${r}: op=sum, ${r === 0 ? 'float32' : 'float64'}\\[2\\]`), 'different dtypes');
    t.match(errors[2], /allReduce\(\): .*rank 0: 2 tensor\(s\), 4 elements; rank 1: 1 tensor\(s\), 2 elements/, 'different tensor counts');
    t.match(errors[3], /allReduce\(\): the ranks passed different tensors or op/, 'different ops');
    t.match(errors[4], /broadcast\(\): .*rank 0: 1 tensor\(s\), 2 elements; rank 1: 1 tensor\(s\), 4 elements/, 'different shapes');
    t.same(after, [3], 'a matching collective still works');
  }
});

for (const mode of ['train', 'accumulate']) {
  t.test(`DDP (${mode}): both ranks end equal, and equal to one process on the global batch`, async (t) => {
    const out = join(dir, mode);
    const exits = await group(mode, 2, out);
    for (const e of exits) t.equal(e.code, 0, e.stderr);
    const [single] = await group(mode, 1, join(dir, `${mode}-single`));
    t.equal(single!.code, 0, single!.stderr);
    t.equal(maxDifference(`${out}-rank0.safetensors`, `${out}-rank1.safetensors`), 0, 'the ranks hold identical parameters');
    const difference = maxDifference(`${out}-rank0.safetensors`, `${join(dir, `${mode}-single`)}-rank0.safetensors`);
    t.ok(difference < 1e-5, `max |DDP - single| = ${difference.toExponential(2)}`);
    const info = (JSON.parse(exits[0]!.stdout) as { info: { buckets: number[][]; reductions: number; bytesPerStep: number } }).info;
    t.ok(info.buckets.length > 1, `${info.buckets.length} buckets: reduction overlaps backward`);
    t.same(info.buckets.flat().sort((a, b) => a - b), Array.from({ length: info.buckets.flat().length }, (_, i) => i), 'every parameter in exactly one bucket');
    t.equal(info.buckets[0]![0], info.buckets.flat().length - 1, 'the last parameters (first to get gradients) in the first bucket');
    t.equal(info.reductions, 4, 'one reduction per optimizer step, none for noSync micro-batches');
  });
}

t.test('a rank that dies makes the other fail with a clear error within the timeout', async (t) => {
  const started = Date.now();
  const [survivor, dead] = await group('die', 2, join(dir, 'die'));
  t.equal(dead!.code, 3);
  t.not(survivor!.code, 0);
  t.match(survivor!.stderr, /gradient all-reduce failed on rank 0 of 2 \(a rank died, hung past the 5 s timeout, or left the group\)/);
  t.ok(Date.now() - started < 30_000, 'no hang');
});

t.test('a rank that hangs makes the other fail with a clear error after the timeout, not hang with it', async (t) => {
  const started = Date.now();
  const port = await freePort();
  const hung = spawn(process.execPath, [worker, 'hang', '1', '2', String(port), join(dir, 'hang')]);
  const survivor = await rank('hang', 0, 2, port, join(dir, 'hang'));
  hung.kill('SIGKILL');
  t.not(survivor.code, 0);
  t.match(survivor.stderr, /failed on rank 0 of 2 \(a rank died, hung past the 5 s timeout, or left the group\)/);
  const seconds = (Date.now() - started) / 1000;
  t.ok(seconds >= 4 && seconds < 40, `failed after ${seconds.toFixed(1)} s (timeout 5 s)`);
});

t.test('bad rendezvous settings are clear errors', async (t) => {
  t.throws(() => distributed.initProcessGroup({ rank: 0, worldSize: 2, masterPort: 70000 }), /masterPort must be a port number \(1-65535\), got 70000/);
  t.throws(() => distributed.initProcessGroup({ rank: 2, worldSize: 2 }), /rank must be an integer in \[0, 2\), got 2/);
  const port = await freePort();
  const started = Date.now();
  t.throws(() => distributed.initProcessGroup({ rank: 1, worldSize: 2, masterAddr: '127.0.0.1', masterPort: port, timeoutMs: 1500 }), new RegExp(`rank 1 could not reach the rendezvous at 127.0.0.1:${port} within 1.5 s`));
  t.ok(Date.now() - started < 20_000);
  t.throws(() => distributed.initProcessGroup({ rank: 1, worldSize: 2, masterAddr: 'no-such-host.invalid', masterPort: port, timeoutMs: 1500 }), /could not reach the rendezvous at no-such-host.invalid/);
});
