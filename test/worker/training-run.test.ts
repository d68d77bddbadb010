// train.start(): runs in a worker thread with events, cancellation that checkpoints and resumes,
// errors that reject `done`, and a host that outlives a terminated worker.
import t from 'tap';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { data, torch, train } from '../../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-worker-run-'));
const corpus = join(dir, 'corpus.txt');
const tokenizer = join(dir, 'tok');

t.before(async () => {
  const r = new data.Random(5);
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'to', 'park', 'a', 'big', 'small', 'red', 'ball', 'and'];
  const lines: string[] = [];
  for (let d = 0; d < 80; d++) {
    for (let s = 0; s < 5; s++) lines.push(`${Array.from({ length: 6 + r.int(8) }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  writeFileSync(corpus, lines.join('\n'));
  (await data.trainTokenizer([corpus], { vocabSize: 60 })).tokenizer.save(tokenizer);
});

const options = (out: string, extra: Partial<train.PretrainRunOptions> = {}): train.PretrainRunOptions => ({
  command: 'pretrain', corpus: [corpus], tokenizer, out, model: 'tiny', steps: 6, batchSize: 4, seqLen: 32, lr: 1e-3, seed: 3, checkpointEvery: 0, ...extra,
});

t.test('events arrive in order with increasing steps; done carries the final metrics', async (t) => {
  const out = join(dir, 'events');
  const run = train.start(options(out));
  const seen: string[] = [];
  const steps: number[] = [];
  run.on('progress', (r) => {
    seen.push('progress');
    steps.push(r.step);
    t.equal(r.total, 6);
  });
  run.on('checkpoint', () => seen.push('checkpoint'));
  run.on('done', () => seen.push('done'));
  const result = await run.done;
  t.same(steps, [1, 2, 3, 4, 5, 6]);
  t.same(seen, ['progress', 'progress', 'progress', 'progress', 'progress', 'progress', 'checkpoint', 'done'], 'the final checkpoint, then done');
  t.same([result.step, result.cancelled, result.out], [6, false, out]);
  t.equal(typeof result.metrics?.mlmLoss, 'number');
  t.ok(existsSync(join(out, 'model.safetensors')));
});

t.test('cancel() stops within one step, checkpoints, and the run resumes from there', async (t) => {
  const out = join(dir, 'cancel');
  const run = train.start(options(out, { steps: 500 }));
  let cancelledAt = 0;
  run.on('progress', (r) => {
    if (cancelledAt === 0 && r.step === 3) {
      cancelledAt = r.step;
      run.cancel();
    }
  });
  const logs: string[] = [];
  run.on('log', (r) => logs.push(r.message));
  const result = await run.done;
  t.ok(result.cancelled);
  t.ok(result.step >= cancelledAt && result.step <= cancelledAt + 1, `stopped at ${result.step}, cancelled at ${cancelledAt}`);
  t.equal(result.metrics, null);
  t.ok(existsSync(join(out, 'checkpoints', `step-${result.step}`, 'trainer_state.json')), 'a checkpoint of the step it stopped at');
  t.match(logs.at(-1), /stopped on request at step \d+; checkpoint/);

  const resumed = train.start(options(out, { steps: result.step + 2, resume: true }));
  const steps: number[] = [];
  resumed.on('progress', (r) => steps.push(r.step));
  const resumedLogs: string[] = [];
  resumed.on('log', (r) => resumedLogs.push(r.message));
  const final = await resumed.done;
  t.same(steps, [result.step + 1, result.step + 2]);
  t.match(resumedLogs[0], new RegExp(`resumed from .*step-${result.step} at step ${result.step}`));
  t.notOk(final.cancelled);
});

t.test('an AbortSignal cancels the same way', async (t) => {
  const controller = new AbortController();
  const run = train.start({ ...options(join(dir, 'abort'), { steps: 500 }), signal: controller.signal });
  run.once('progress', () => controller.abort());
  const result = await run.done;
  t.ok(result.cancelled);
  t.ok(result.step <= 2);
});

t.test('an error inside the worker is an error event and rejects done with its message', async (t) => {
  const run = train.start(options(join(dir, 'bad'), { lr: -1 }));
  const errors: Error[] = [];
  run.on('error', (e) => errors.push(e));
  await t.rejects(run.done, /lr must be a positive number, got -1/);
  t.equal(errors.length, 1);
  t.match(errors[0]!.message, /^lr must be a positive number/, 'named as the option is in code');
  t.equal(errors[0]!.name, 'OptionError');
  await t.rejects(train.start(options(join(dir, 'typo'), { batchsize: 4 } as never)).done, /pretrain: unknown option batchsize; did you mean batchSize\?/, 'a misspelt option is refused, not ignored');
  const missing = train.start(options(join(dir, 'bad2'), { corpus: [join(dir, 'absent.txt')] }));
  await t.rejects(missing.done, /absent.txt does not exist/, 'no error listener: done still rejects, the host does not crash');
  t.throws(() => train.start({ ...options(join(dir, 'x')), command: 'sing' as 'pretrain' }), /command must be 'pretrain', 'adapt' or 'finetune'/);
  t.throws(() => train.start(undefined as never), /start\(\): expected options like/);
  t.throws(() => train.start({ ...options(join(dir, 'x')), signal: {} as AbortSignal }), /signal must be an AbortSignal/);
  t.throws(() => train.start({ ...options(join(dir, 'x')), help: true } as never), /help and config are command-line flags/);
});

t.test('terminating a run mid-step leaves the process healthy and able to train again', async (t) => {
  const run = train.start(options(join(dir, 'terminated'), { steps: 500 }));
  await new Promise((resolve) => run.once('progress', resolve));
  await run.terminate();
  await t.rejects(run.done, /exited with code 1 before the run ended/);
  t.same(torch.tensor([1, 2, 3]).mul(2).toArray(), [2, 4, 6], 'the main thread computes');
  const again = await train.start(options(join(dir, 'again'), { steps: 2 })).done;
  t.equal(again.step, 2);
});
