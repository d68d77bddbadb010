// Tiny end-to-end pretraining runs: the loss falls, a resumed run equals the uninterrupted
// one step for step, checkpoints are complete or ignored, bfloat16 autocast trains.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, data, torch, train } from '../../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-trainer-'));
let tokenizer: data.BertTokenizer;
let shards: string;

t.before(async () => {
  const r = new data.Random(3);
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'to', 'park', 'a', 'big', 'small', 'red', 'ball', 'and'];
  const lines: string[] = [];
  for (let d = 0; d < 120; d++) {
    for (let s = 0; s < 6; s++) lines.push(`${Array.from({ length: 6 + r.int(8) }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(corpus, lines.join('\n'));
  tokenizer = (await data.trainTokenizer([corpus], { vocabSize: 60 })).tokenizer;
  shards = join(dir, 'shards');
  await data.prepareShards([corpus], tokenizer, shards);
});

function setup(out: string, options: Partial<train.TrainerOptions<data.MlmBatch>> = {}) {
  torch.manualSeed(0);
  const config = new bert.BertConfig({ vocab_size: tokenizer.vocabSize, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64 });
  const model = new bert.BertForPreTraining(config);
  const corpus = new data.ShardedCorpus(shards);
  const stream = new data.PretrainingStream(corpus, { mode: 'nsp', maxSeqLength: 32, seed: 1, clsId: tokenizer.clsId, sepId: tokenizer.sepId });
  const batches = new train.PretrainingBatches(stream, { vocabSize: tokenizer.vocabSize, maskId: tokenizer.maskId, padId: tokenizer.padId, specialIds: tokenizer.specialIds, seed: 2 }, 8);
  const trainer = new train.Trainer<data.MlmBatch>({ model, batches, out, steps: 8, lr: 2e-3, warmupSteps: 2, checkpointEvery: 4, ...options });
  const losses: number[] = [];
  trainer.on('step', (r) => losses.push(r.loss));
  return { trainer, losses, model, corpus };
}

t.test('resuming from a checkpoint gives the losses of the uninterrupted run', async (t) => {
  const whole = setup(join(dir, 'whole'));
  await whole.trainer.train();
  t.equal(whole.losses.length, 8);
  // The first run is configured like the whole one (the schedule depends on the total) and
  // stops after its step-4 checkpoint, as a killed process would.
  const first = setup(join(dir, 'resumed'));
  for (let i = 0; i < 4; i++) first.trainer.trainStep();
  await first.trainer.checkpoint();
  t.ok(existsSync(join(dir, 'resumed', 'checkpoints', 'step-4', 'trainer_state.json')));
  // Killed two steps after the checkpoint: steps 5 and 6 are logged, and run again on resume.
  first.trainer.trainStep();
  first.trainer.trainStep();
  const second = setup(join(dir, 'resumed'), { steps: 8, resume: true });
  const result = await second.trainer.train();
  t.equal(result.step, 8);
  t.same([...first.losses.slice(0, 4), ...second.losses], whole.losses, 'identical losses, step for step');
  const resumedLog = readFileSync(join(dir, 'resumed', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number });
  t.same(resumedLog.map((l) => l.step), [1, 2, 3, 4, 5, 6, 7, 8], 'the resumed log holds each step once');
  t.same(resumedLog.map((l) => l.loss), whole.losses, 'and the records are those of the resumed run');
  const lines = readFileSync(join(dir, 'whole', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; lr: number; tokensPerSecond: number });
  t.same(lines.map((l) => l.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  t.ok(lines.every((l) => l.tokensPerSecond > 0 && l.lr >= 0));
  t.equal(lines[0]!.lr, 0, 'warmup starts at zero');
  t.same(train.listCheckpoints(join(dir, 'whole')).map((c) => c.step), [4, 8], 'the newest two kept');
});

t.test('the loss falls; a killed run leaves its last complete checkpoint loadable', async (t) => {
  const run = setup(join(dir, 'falls'), { steps: 30, checkpointEvery: 10, lr: 3e-3 });
  await run.trainer.train();
  const head = run.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const tail = run.losses.slice(-5).reduce((a, b) => a + b) / 5;
  t.ok(tail < head - 0.3, `mean loss of the first five steps ${head.toFixed(3)}, of the last five ${tail.toFixed(3)}`);
  // A process killed while writing step 40 leaves only a temporary folder or one without
  // trainer_state.json: neither counts.
  mkdirSync(join(dir, 'falls', 'checkpoints', 'step-40'));
  mkdirSync(join(dir, 'falls', 'checkpoints', '.step-50.tmp-123'));
  t.same(train.listCheckpoints(join(dir, 'falls')).map((c) => c.step), [20, 30]);
  const model = await bert.BertForPreTraining.fromPretrained(join(dir, 'falls', 'checkpoints', 'step-30'));
  t.same(model.loadReport!.missingKeys, [], 'the checkpoint is a complete Hugging Face folder');
  t.same(model.bert.pooler!.dense.weight.toArray(), run.model.bert.pooler!.dense.weight.toArray());
});

t.test('bfloat16 autocast trains with float32 master weights', async (t) => {
  const run = setup(join(dir, 'bf16'), { steps: 3, checkpointEvery: 0, mixedPrecision: 'bfloat16' });
  await run.trainer.train();
  t.ok(run.losses.every((l) => Number.isFinite(l)), `losses ${run.losses.map((l) => l.toFixed(3)).join(' ')}`);
  t.equal(run.model.bert.embeddings.wordEmbeddings.weight.dtype, 'float32');
});

t.test('bad trainer options are clear errors', async (t) => {
  t.throws(() => setup(join(dir, 'bad'), { steps: 0 }), /steps must be a positive integer/);
  t.throws(() => setup(join(dir, 'bad'), { lr: -1 }), /lr must be a positive number/);
  t.throws(() => setup(join(dir, 'bad'), { schedule: 'exp' as 'linear' }), /unknown schedule/);
});

t.test('log events: resuming without a checkpoint warns, resuming with one says where, early stopping says why', async (t) => {
  const out = join(dir, 'logs');
  const first = setup(out, { resume: true, steps: 4 });
  const logs: train.LogRecord[] = [];
  first.trainer.on('log', (r) => logs.push(r));
  await first.trainer.train();
  t.same(logs.map((l) => [l.level, l.step]), [['warn', 0]]);
  t.match(logs[0]!.message, /no complete checkpoint under .*checkpoints; starting at step 0/);
  first.corpus.close();

  // What a process killed mid-write leaves: its pid is gone. A live process's temporaries stay.
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
  mkdirSync(join(out, 'checkpoints', `.step-8.tmp-${dead}`));
  writeFileSync(join(out, 'checkpoints', `.step-8.tmp-${dead}`, 'model.safetensors'), 'half');
  writeFileSync(join(out, `model.safetensors.tmp-${dead}-k3x`), 'half');
  mkdirSync(join(out, 'checkpoints', `.step-9.tmp-${process.pid}`));
  const second = setup(out, { resume: true, steps: 6 });
  const resumed: train.LogRecord[] = [];
  second.trainer.on('log', (r) => resumed.push(r));
  await second.trainer.train();
  t.same(resumed.map((l) => [l.level, l.step]), [['info', 0], ['info', 4]]);
  t.match(resumed[0]!.message, new RegExp(`removed 2 temporary file\\(s\\) left by a run that was stopped while writing: \\.step-8\\.tmp-${dead}, model\\.safetensors\\.tmp-${dead}-k3x`));
  t.match(resumed[1]!.message, /resumed from .*step-4 at step 4/);
  t.notOk(existsSync(join(out, 'checkpoints', `.step-8.tmp-${dead}`)));
  t.ok(existsSync(join(out, 'checkpoints', `.step-9.tmp-${process.pid}`)), "a live process's folder is left alone");
  second.corpus.close();

  // An evaluation that never improves: patience 2 stops after the third evaluation.
  const flat = setup(join(dir, 'early'), { steps: 8, checkpointEvery: 0, evalEvery: 1, evaluate: () => ({ accuracy: 0.5 }), earlyStopping: { metric: 'accuracy', patience: 2 } });
  const stops: train.LogRecord[] = [];
  flat.trainer.on('log', (r) => stops.push(r));
  const done = await flat.trainer.train();
  t.equal(done.step, 3);
  t.same(stops.map((l) => l.step), [3]);
  t.match(stops[0]!.message, /early stopping at step 3: accuracy has not improved on 0\.5000 \(step 1\) for 2 evaluations/);
  flat.corpus.close();
});

t.test('a damaged checkpoint is an error naming the file, never a silent run from a bad state', async (t) => {
  const out = join(dir, 'damaged');
  const run = setup(out, { steps: 2, checkpointEvery: 2 });
  await run.trainer.train();
  const step = join(out, 'checkpoints', 'step-2');
  const damage = async (file: string, text: string, message: RegExp) => {
    const original = readFileSync(join(step, file), 'utf8');
    writeFileSync(join(step, file), text);
    await t.rejects(setup(out, { steps: 4, resume: true }).trainer.train(), message, file);
    writeFileSync(join(step, file), original);
  };
  await damage('trainer_state.json', '{"step":"abc"}', /trainer_state\.json: step must be a non-negative integer, got "abc"/);
  await damage('optimizer.json', '{bad', /checkpoint file .*optimizer\.json is not valid JSON/);
  await damage('scheduler.json', '[]', /scheduler loadStateDict\(\): expected \{ lastStep, initialLrs \}/);
  const resumed = setup(out, { steps: 4, resume: true });
  t.equal((await resumed.trainer.train()).step, 4, 'the repaired checkpoint resumes');
});
