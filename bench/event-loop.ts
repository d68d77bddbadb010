// The main thread's event loop while a model trains: the longest stall and the 99th percentile
// of perf_hooks.monitorEventLoopDelay for the same run (tiny BERT, MLM + NSP) trained in a worker
// with train.start() and trained on the main thread. Goal: under 20 ms with the worker.
// Usage: node dist/bench/event-loop.js [--steps N] [--model tiny|mini]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { pretrain } from '../lib/cli/pretrain.js';
import { data, train } from '../lib/index.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '30' }, model: { type: 'string', default: 'tiny' } } });
const steps = Number(values.steps);
const dir = mkdtempSync(join(tmpdir(), 'plm-bench-loop-'));
const corpus = join(dir, 'corpus.txt');
writeSyntheticCorpus(corpus, { documents: 400, sentences: 6, words: 12, distinctWords: 400, seed: 1 });
(await data.trainTokenizer([corpus], { vocabSize: 500 })).tokenizer.save(join(dir, 'tok'));
const options = (out: string) => ({ command: 'pretrain' as const, corpus: [corpus], tokenizer: join(dir, 'tok'), out: join(dir, out), model: values.model, steps, batchSize: 32, seqLen: 128, checkpointEvery: 0 });

async function measure(name: string, run: () => Promise<unknown>): Promise<{ name: string; maxMs: number; p99Ms: number; seconds: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  await run();
  histogram.disable();
  return { name, maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, seconds: (performance.now() - started) / 1000 };
}

const worker = await measure('worker (train.start)', () => train.start(options('worker')).done);
const main = await measure('main thread', () => pretrain([...train.commandArgs(options('main')), '--quiet']));
console.log(`event-loop delay while pretraining ${values.model} for ${steps} steps (batch 32 × 128):`);
console.log('run'.padEnd(24), 'max stall'.padStart(12), 'p99'.padStart(10), 'run time'.padStart(10));
for (const m of [worker, main]) console.log(m.name.padEnd(24), `${m.maxMs.toFixed(1)} ms`.padStart(12), `${m.p99Ms.toFixed(1)} ms`.padStart(10), `${m.seconds.toFixed(1)} s`.padStart(10));
console.log(`longest stall with the worker: ${(main.maxMs / worker.maxMs).toFixed(0)}x shorter than training on the main thread (goal: under 20 ms: ${worker.maxMs < 20 ? 'met' : 'not met'})`);
rmSync(dir, { recursive: true, force: true });
