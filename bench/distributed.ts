// Data-parallel pretraining on this machine: steps per second and tokens per second with 1
// and 2 processes on the same global batch (the 2-process run splits it), and the bytes each
// step all-reduces. Informational: on one 2-core machine two processes share the same cores,
// so the point is the overhead of c10d and the path to many machines, not a speed-up.
// Usage: node dist/bench/distributed.js [--model tiny|mini] [--steps N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { data, io } from '../lib/index.js';
import { packageRoot } from '../lib/native.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'mini' }, steps: { type: 'string', default: '20' } } });
const steps = Number(values.steps);
const GLOBAL_BATCH = 32;
const dir = mkdtempSync(join(tmpdir(), 'plm-bench-dist-'));
const corpus = join(dir, 'corpus.txt');
writeSyntheticCorpus(corpus, { documents: 600, sentences: 8, words: 14, distinctWords: 2000, seed: 1 });
(await data.trainTokenizer([corpus], { vocabSize: 4000 })).tokenizer.save(join(dir, 'tok'));

function run(nproc: number): { stepsPerSecond: number; tokensPerSecond: number; bytesPerStep: number } {
  const out = join(dir, `n${nproc}`);
  const args = ['pretrain', '--corpus', corpus, '--tokenizer', join(dir, 'tok'), '--model', values.model!, '--out', out, '--steps', String(steps), '--batch-size', String(GLOBAL_BATCH / nproc), '--seq-len', '128', '--checkpoint-every', '0', '--nproc', String(nproc), '--quiet'];
  const result = spawnSync(process.execPath, [join(packageRoot, 'bin/plm-torch.js'), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; tokens: number; time: string });
  const timed = records.slice(Math.floor(records.length / 4)); // after warm-up
  const seconds = (Date.parse(timed.at(-1)!.time) - Date.parse(timed[0]!.time)) / 1000;
  const weights = io.loadSafetensors(join(out, 'model.safetensors'));
  // Tied decoder and embedding are one parameter: count distinct storage once (by shape and name).
  const bytes = Object.entries(weights).filter(([name]) => !name.endsWith('decoder.weight')).reduce((n, [, t]) => n + t.numel() * 4, 0);
  return { stepsPerSecond: (timed.length - 1) / seconds, tokensPerSecond: timed.slice(1).reduce((n, x) => n + x.tokens, 0) / seconds, bytesPerStep: nproc > 1 ? bytes : 0 };
}

const one = run(1);
const two = run(2);
console.log(`data-parallel pretraining, BERT-${values.model}, global batch ${GLOBAL_BATCH} × 128, ${steps} steps (first quarter not timed):`);
console.log('processes'.padEnd(10), 'steps/s'.padStart(9), 'tokens/s'.padStart(10), 'all-reduced/step'.padStart(18));
for (const [n, m] of [[1, one], [2, two]] as const) console.log(String(n).padEnd(10), m.stepsPerSecond.toFixed(2).padStart(9), Math.round(m.tokensPerSecond).toString().padStart(10), `${(m.bytesPerStep / 2 ** 20).toFixed(1)} MiB`.padStart(18));
console.log(`2 processes / 1 process: ${(two.stepsPerSecond / one.stepsPerSecond).toFixed(2)}x steps per second (same cores shared)`);
rmSync(dir, { recursive: true, force: true });
