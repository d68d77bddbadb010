// plm-torch pretrain --nproc 2: two local ranks over c10d (Gloo on loopback). The run leaves
// one model folder, rank 0's metrics, checkpoints with every rank's state, and resuming a
// 2-process run gives the losses of the uninterrupted one.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { data, io } from '../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 240_000 });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-nproc-'));
const losses = (out: string) => readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number }).filter((r) => r.loss !== undefined);

t.before(() => {
  const r = new data.Random(9);
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'to', 'park', 'a', 'big', 'small', 'red', 'ball', 'and'];
  const lines: string[] = [];
  for (let d = 0; d < 120; d++) {
    for (let s = 0; s < 5; s++) lines.push(`${Array.from({ length: 6 + r.int(8) }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  writeFileSync(join(dir, 'corpus.txt'), lines.join('\n'));
  const trained = run('tokenizer', 'train', '--corpus', join(dir, 'corpus.txt'), '--out', join(dir, 'tok'), '--vocab-size', '60');
  if (trained.status !== 0) throw new Error(trained.stderr);
});

const common = (out: string, steps: number) => ['pretrain', '--corpus', join(dir, 'corpus.txt'), '--tokenizer', join(dir, 'tok'), '--out', out, '--steps', String(steps), '--batch-size', '4', '--seq-len', '32', '--lr', '1e-3', '--warmup', '2', '--checkpoint-every', '3', '--nproc', '2', '--dist-timeout', '60'];

t.test('pretrain --nproc 2 trains on two ranks and leaves one model folder', async (t) => {
  const out = join(dir, 'whole');
  const r = run(...common(out, 6));
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /pretrained 6 steps on 2 processes/);
  t.equal((JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as { processes: number }).processes, 2);
  t.same(losses(out).map((l) => l.step), [1, 2, 3, 4, 5, 6], 'rank 0 alone writes metrics');
  const position = JSON.parse(readFileSync(join(out, 'checkpoints/step-6/data_position.json'), 'utf8')) as { ranks: { stream: { cursor: number } }[] };
  t.equal(position.ranks.length, 2, 'each rank\'s data position');
  const rng = io.loadSafetensors(join(out, 'checkpoints/step-6/rng_state.safetensors'));
  t.same(Object.keys(rng).sort(), ['cpu', 'rank1'], "each rank's RNG state");
});

t.test('resuming a 2-process run gives the losses of the uninterrupted run', async (t) => {
  const out = join(dir, 'resumed');
  t.equal(run(...common(out, 3)).status, 0);
  const r = run(...common(out, 6), '--resume');
  t.equal(r.status, 0, r.stderr);
  const whole = losses(join(dir, 'whole'));
  const resumed = losses(out);
  t.same(resumed.map((l) => l.step), [1, 2, 3, 4, 5, 6]);
  t.same(resumed.slice(3).map((l) => l.loss), whole.slice(3).map((l) => l.loss), 'steps 4-6 equal exactly');
});

t.test('--nproc: bad values are usage errors', async (t) => {
  const r = run('pretrain', '--corpus', join(dir, 'corpus.txt'), '--tokenizer', join(dir, 'tok'), '--out', join(dir, 'bad'), '--nproc', 'two');
  t.equal(r.status, 2);
  t.match(r.stderr, /--nproc must be an integer of at least 1, got two/);
});

t.test('a rank that fails ends the run: the launcher stops the others and exits non-zero', async (t) => {
  const { createServer } = await import('node:net');
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, ...common(join(dir, 'failed'), 3)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, MASTER_PORT: String(port) } });
  taken.close();
  t.equal(r.status, 1);
  t.match(r.stderr, new RegExp(`rank 0 could not serve the rendezvous at 127.0.0.1:${port} within 60 s: .*address already in use`));
  t.match(r.stderr, /rank 0 exited with code 1; stopping the others/);
  t.notMatch(r.stderr, /frame #\d+:/, 'no C++ backtrace in the message');
  t.ok(Date.now() - started < 60_000, 'rank 1 did not wait out its timeout');
});
