// The recipes from code: train.pretrain/adapt/finetune report through the Trainer's events and
// their hooks, print nothing, return what eval.json holds, and are the very path the command
// line runs (the same seed gives the same numbers either way).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { data, train } from '../../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../../bin/plm-torch.js');
const dir = mkdtempSync(join(tmpdir(), 'plm-recipes-'));
const corpus = join(dir, 'corpus.txt');
const tokenizer = join(dir, 'tok');

t.before(async () => {
  const r = new data.Random(11);
  const words = ['gene', 'protein', 'cell', 'binds', 'the', 'a', 'of', 'to', 'and', 'enzyme', 'receptor', 'phosphorylation'];
  const lines: string[] = [];
  for (let d = 0; d < 60; d++) {
    for (let s = 0; s < 4; s++) lines.push(`${Array.from({ length: 5 + r.int(8) }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  writeFileSync(corpus, lines.join('\n'));
  (await data.trainTokenizer([corpus], { vocabSize: 70 })).tokenizer.save(tokenizer);
  const records = Array.from({ length: 24 }, (_, i) => JSON.stringify({ text: i % 2 ? 'gene binds protein' : 'the cell of a receptor', label: i % 2 ? 'bio' : 'cell' }));
  writeFileSync(join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
});

/** Runs fn with process.stdout/stderr writes collected instead of shown. */
async function silenced<T>(fn: () => Promise<T>): Promise<{ value: T; written: string }> {
  const writes: string[] = [];
  const [out, err] = [process.stdout.write, process.stderr.write];
  const collect = ((chunk: string | Uint8Array) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  try {
    return { value: await fn(), written: writes.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const pretrainOptions = (out: string): train.PretrainOptions => ({ corpus: [corpus], tokenizer, out, steps: 4, batchSize: 4, maxLength: 32, lr: 1e-3, seed: 5, checkpointEvery: 0 });

t.test('pretrain from code: events through onTrainer and onLog, nothing printed, eval.json returned', async (t) => {
  const out = join(dir, 'code');
  const steps: number[] = [];
  const logs: string[] = [];
  const { value: result, written } = await silenced(() =>
    train.pretrain(pretrainOptions(out), {
      onTrainer: (trainer) => trainer.on('step', (r) => steps.push(r.step)),
      onLog: (r) => logs.push(r.message),
    }),
  );
  t.equal(written, '', 'a recipe prints nothing');
  t.same(steps, [1, 2, 3, 4]);
  t.match(logs[0], /^prepared 60 documents, \d+ tokens$/);
  t.same([result.step, result.cancelled, result.out], [4, false, out]);
  t.same(result.metrics, JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')), 'the result is what eval.json holds');
  // The model's named loss parts are logged: BERT's loss is its MLM loss plus its NSP loss.
  for (const line of readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as { loss: number; mlmLoss: number; nspLoss: number };
    t.ok(Math.abs(r.mlmLoss + r.nspLoss - r.loss) < 1e-5, `step loss ${r.loss} = mlm ${r.mlmLoss} + nsp ${r.nspLoss}`);
  }

  // The command line with the same flags is the same run: the same numbers.
  const cli = spawnSync(process.execPath, [bin, 'pretrain', '--corpus', corpus, '--tokenizer', tokenizer, '--out', join(dir, 'cli'), '--steps', '4', '--batch-size', '4', '--max-length', '32', '--lr', '1e-3', '--seed', '5', '--checkpoint-every', '0'], { encoding: 'utf8' });
  t.equal(cli.status, 0, cli.stderr);
  t.same(JSON.parse(readFileSync(join(dir, 'cli', 'eval.json'), 'utf8')), result.metrics, 'CLI and code give identical evaluations');
});

t.test('adapt and finetune from code', async (t) => {
  const adaptLogs: string[] = [];
  const adapted = await train.adapt({ from: join(dir, 'code'), corpus: [corpus], out: join(dir, 'adapted'), extendVocab: 1, steps: 2, batchSize: 4, maxLength: 32, checkpointEvery: 0 }, { onLog: (r) => adaptLogs.push(r.message) });
  t.equal(adapted.step, 2);
  t.equal(adapted.domainTerms.length, 1);
  t.equal(adapted.addedTokens, 1);
  t.ok(adaptLogs.some((m) => m.startsWith(`added 1 domain tokens: ${adapted.domainTerms[0]!.word}`)));
  t.equal(typeof adapted.metrics?.mlmLoss, 'number');

  const evals: number[] = [];
  const tuned = await train.finetune(
    { from: join(dir, 'adapted'), train: join(dir, 'records.jsonl'), eval: join(dir, 'records.jsonl'), out: join(dir, 'tuned'), epochs: 2, batchSize: 8, lr: 1e-3 },
    { onTrainer: (trainer) => trainer.on('eval', (r) => evals.push(r.step)) },
  );
  t.same(evals, [3, 6], 'evaluated every epoch');
  t.same(tuned.metrics, JSON.parse(readFileSync(join(dir, 'tuned', 'eval.json'), 'utf8')));
  t.same((tuned.metrics as { labels: string[] }).labels, ['bio', 'cell']);
});

t.test('bad options are OptionErrors naming the option as the caller spells it', async (t) => {
  await t.rejects(train.pretrain({ ...pretrainOptions(join(dir, 'bad')), lr: 0 }), { name: 'OptionError', message: 'lr must be a positive number, got 0' });
  await t.rejects(train.pretrain({ ...pretrainOptions(join(dir, 'bad')), stepz: 3 } as never), /pretrain: unknown option stepz; did you mean steps\?/);
  await t.rejects(train.pretrain({ ...pretrainOptions(join(dir, 'bad')), lr: 0 }, { optionName: (k) => `--${k}` }), /^--lr must be a positive number/);
  await t.rejects(train.pretrain({ ...pretrainOptions(join(dir, 'bad')), arch: 'gpt2' }), /arch must be one of bert, .*got 'gpt2'/);
  await t.rejects(train.pretrain({ ...pretrainOptions(join(dir, 'bad')), maxLength: 32, seqLen: 64 }), /maxLength and seqLen are the same option/);
  await t.rejects(train.pretrain(pretrainOptions(join(dir, 'code'))), /out: .*code holds a previous run \(data, checkpoints, metrics.jsonl\): pass resume: true to continue it/);
  await t.rejects(train.finetune({ from: join(dir, 'code'), train: join(dir, 'records.jsonl'), eval: join(dir, 'records.jsonl'), out: join(dir, 'code') }), /out: .*code is the from folder/);
  await t.rejects(train.adapt({ from: join(dir, 'absent'), corpus: [corpus], out: join(dir, 'x') }), /from: .*absent does not exist/);
});
