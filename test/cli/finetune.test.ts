import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { finetune } from '../../lib/cli/finetune.js';
import { bert, data, io, torch, train } from '../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-finetune-'));
const base = join(dir, 'base');

function records(n: number, seed: number): string {
  const r = new data.Random(seed);
  const bio = ['protein', 'binding', 'gene', 'expression', 'cell'];
  const clinic = ['patient', 'clinical', 'study', 'dose', 'trial'];
  const common = ['the', 'of', 'and', 'a', 'site', 'result'];
  return `${Array.from({ length: n }, () => {
    const isBio = r.next() < 0.5;
    const words = Array.from({ length: 8 }, () => {
      const pool = r.next() < 0.5 ? common : isBio ? bio : clinic;
      return pool[r.int(pool.length)];
    });
    return JSON.stringify({ text: words.join(' '), label: isBio ? 'bio' : 'clinic' });
  }).join('\n')}\n`;
}

t.before(async () => {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'protein', 'binding', 'gene', 'expression', 'cell', 'patient', 'clinical', 'study', 'dose', 'trial', 'the', 'of', 'and', 'a', 'site', 'result'];
  torch.manualSeed(1);
  const model = new bert.BertForPreTraining(new bert.BertConfig({ vocab_size: vocab.length, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64 }));
  await model.savePretrained(base);
  data.BertTokenizer.fromVocab(vocab).save(base);
  writeFileSync(join(dir, 'train.jsonl'), records(200, 1));
  writeFileSync(join(dir, 'eval.jsonl'), records(100, 2));
});

t.test('fine-tuning a classifier beats chance clearly on a separable task', async (t) => {
  const out = join(dir, 'cls');
  const result = run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', out, '--epochs', '8', '--lr', '1e-3', '--quiet');
  t.equal(result.status, 0, result.stderr);
  const report = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as { accuracy: number; macroF1: number; labels: string[] };
  t.ok(report.accuracy >= 0.9, `accuracy ${report.accuracy} (chance 0.5)`);
  t.ok(report.macroF1 >= 0.9, `macro-F1 ${report.macroF1}`);
  t.same(report.labels, ['bio', 'clinic']);
  const model = await bert.BertForSequenceClassification.fromPretrained(out);
  t.same(model.config.fields.id2label, { '0': 'bio', '1': 'clinic' });
  t.same(model.loadReport!.missingKeys, []);
  const evals = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eval?: { accuracy: number } }).filter((l) => l.eval);
  t.ok(evals.length >= 2, 'evaluated every epoch');
});

t.test('finetune: bad records and flags are clear errors', async (t) => {
  writeFileSync(join(dir, 'bad.jsonl'), '{"text": "a", "label": "x"}\n{"text": 3, "label": "y"}\n');
  const bad = run('finetune', '--from', base, '--train', join(dir, 'bad.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', join(dir, 'o'));
  t.equal(bad.status, 1);
  t.match(bad.stderr, /bad.jsonl:2: "text" must be a string/);
  writeFileSync(join(dir, 'one-label.jsonl'), '{"text": "a", "label": "x"}\n');
  t.match(run('finetune', '--from', base, '--train', join(dir, 'one-label.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', join(dir, 'o')).stderr, /1 label\(s\); classification needs at least 2/);
  writeFileSync(join(dir, 'unknown-label.jsonl'), '{"text": "a", "label": "other"}\n');
  t.match(run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'unknown-label.jsonl'), '--out', join(dir, 'o')).stderr, /label "other" is not one of \["bio", "clinic"\]/);
  t.equal(run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', join(dir, 'o'), '--lr', 'x').status, 2);
  t.match(run('finetune', '--help').stdout, /Usage: plm-torch finetune/);
});

/** metrics.jsonl as [step, loss, lr, gradNorm] and [step, eval] rows (times and speeds left out). */
function logged(out: string): { steps: number[][]; evals: unknown[] } {
  const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss?: number; lr?: number; gradNorm?: number; eval?: unknown });
  return { steps: lines.filter((l) => l.eval === undefined).map((l) => [l.step, l.loss!, l.lr!, l.gradNorm!]), evals: lines.filter((l) => l.eval !== undefined).map((l) => [l.step, l.eval]) };
}

// 200 records in batches of 16: 13 steps an epoch; evaluations at 3, 6, 9, ...; accuracy peaks
// at step 3, so patience 2 stops the 26-step run early at step 9.
const resumable = (out: string) => ['--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', out, '--epochs', '2', '--eval-every', '3', '--lr', '1e-3', '--patience', '2', '--quiet'];

t.test('finetune into an OUT holding a run is refused; --overwrite replaces only the run\'s files', async (t) => {
  const out = join(dir, 'twice');
  const args = ['finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', out, '--epochs', '1', '--quiet'];
  t.equal(run(...args).status, 0);
  writeFileSync(join(out, 'notes.txt'), 'mine\n');
  const again = run(...args);
  t.equal(again.status, 2, again.stderr);
  t.match(again.stderr, /--out: .*twice holds a previous run \(metrics\.jsonl, eval\.json, model\.safetensors\): pass --resume to continue it, --overwrite to replace it, or choose another --out/);
  t.equal(logged(out).steps.length, 13, 'the refused run appended nothing');

  const replaced = run(...args, '--overwrite', '--epochs', '2');
  t.equal(replaced.status, 0, replaced.stderr);
  t.same(logged(out).steps.map(([step]) => step), Array.from({ length: 26 }, (_, i) => i + 1), 'only the new run\'s steps, once each');
  t.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine\n', 'a file of the user\'s own stays');

  t.match(run(...args, '--resume').stderr, /--resume: .*twice holds a finished run \(eval\.json\): pass --overwrite/);
  t.match(run(...args, '--resume', '--overwrite').stderr, /--resume continues the run in OUT and --overwrite replaces it: give one of them/);
  const intoBase = run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', base, '--overwrite');
  t.equal(intoBase.status, 2);
  t.match(intoBase.stderr, /is the --from folder/);
  t.ok(existsSync(join(base, 'model.safetensors')), '--overwrite never touches --from');
});

t.test('finetune: fractional and list labels are refused naming the record and the --task they need', async (t) => {
  writeFileSync(join(dir, 'float.jsonl'), '{"text": "a", "label": 1}\n{"text": "b", "label": 1.7}\n');
  const float = run('finetune', '--from', base, '--train', join(dir, 'float.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', join(dir, 'o-float'));
  t.equal(float.status, 1);
  t.match(float.stderr, /float\.jsonl:2: "label" is 1\.7, not an integer: .*needs --task regression \(not supported yet\)/);
  writeFileSync(join(dir, 'list.jsonl'), '{"text": "a", "label": ["x", "y"]}\n');
  const list = run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'list.jsonl'), '--out', join(dir, 'o-list'));
  t.equal(list.status, 1);
  t.match(list.stderr, /list\.jsonl:1: "label" is the list \["x","y"\]: .*needs --task multi-label \(not supported yet\)/);
  t.notOk(existsSync(join(dir, 'o-float', 'metrics.jsonl')), 'nothing trained');
});

t.test('a stopped finetune leaves a loadable folder; --resume ends exactly as the uninterrupted run', async (t) => {
  const whole = join(dir, 'whole');
  t.equal(await finetune(resumable(whole)), 0);
  const wholeLog = logged(whole);
  t.same(wholeLog.evals.map((e) => (e as [number])[0]), [3, 6, 9], 'early stopping at step 9, best at 3');

  // Stopped after step 7: after a best (3) and an evaluation without improvement (6), as Ctrl-C does.
  const out = join(dir, 'stopped');
  const logs: string[] = [];
  train.observeTrainers((trainer) => {
    trainer.on('step', (r) => r.step === 7 && trainer.requestStop());
    trainer.on('log', (r) => logs.push(r.message));
  });
  t.teardown(() => train.observeTrainers(null));
  t.equal(await finetune(resumable(out)), 130);
  t.match(logs.at(-1), /^stopped on request at step 7; checkpoint .*stopped\/checkpoints\/step-7; to continue: plm-torch finetune --from .* --quiet --resume$/);
  const report = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as Record<string, unknown>;
  t.match(report, { stopped: true, steps: 7, totalSteps: 26, bestStep: 3, accuracy: (wholeLog.evals[0] as [number, { accuracy: number }])[1].accuracy });
  t.match(report.note, /stopped on request at step 7 of 26; to continue: plm-torch finetune .*--resume/);
  const model = await bert.BertForSequenceClassification.fromPretrained(out);
  t.same(model.loadReport!.missingKeys, []);
  t.same(model.config.fields.id2label, { '0': 'bio', '1': 'clinic' });
  t.equal(data.BertTokenizer.fromPretrained(out).vocabSize, 21, 'with its tokenizer');
  const saved = io.loadSafetensors(join(out, 'model.safetensors'));
  const best = io.loadSafetensors(join(out, 'best', 'model.safetensors'));
  t.same(saved['classifier.weight']!.toArray(), best['classifier.weight']!.toArray(), 'OUT holds the best weights so far (step 3), not step 7\'s');

  train.observeTrainers(null);
  t.equal(await finetune([...resumable(out), '--resume']), 0);
  t.same(logged(out), wholeLog, 'the same steps, losses, learning rates, gradient norms and evaluations, each once');
  t.ok(readFileSync(join(out, 'model.safetensors')).equals(readFileSync(join(whole, 'model.safetensors'))), 'the same final weights, bit for bit');
  t.same(JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')), JSON.parse(readFileSync(join(whole, 'eval.json'), 'utf8')));
  t.notOk(existsSync(join(out, 'best')));
});

t.test('train.start finetune: cancel() leaves a stopped folder, resume: true continues it to the same end', async (t) => {
  const options = (out: string): train.FinetuneRunOptions => ({ command: 'finetune', from: base, train: join(dir, 'train.jsonl'), eval: join(dir, 'eval.jsonl'), out, epochs: 2, evalEvery: 3, lr: 1e-3, patience: 2 });
  const out = join(dir, 'started');
  const first = train.start(options(out));
  first.on('progress', (r) => r.step === 4 && first.cancel());
  const logs: string[] = [];
  first.on('log', (r) => logs.push(r.message));
  const stopped = await first.done;
  t.ok(stopped.cancelled);
  t.match(logs.at(-1), new RegExp(`stopped on request at step ${stopped.step}; checkpoint .*; to continue, start the run again with resume: true$`));
  t.match(JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')), { stopped: true, steps: stopped.step });
  await t.rejects(train.start(options(out)).done, /out: .* holds a previous run .*pass resume: true to continue it, overwrite: true to replace it/);

  const resumed = train.start({ ...options(out), resume: true });
  const steps: number[] = [];
  resumed.on('progress', (r) => steps.push(r.step));
  const result = await resumed.done;
  t.notOk(result.cancelled);
  t.equal(steps[0], stopped.step + 1);
  t.same(logged(out), logged(join(dir, 'whole')), 'as the uninterrupted run of the test before');
  t.match(result.metrics, { bestStep: 3, steps: 9 });

  const replaced = await train.start({ ...options(out), epochs: 1, patience: 9, overwrite: true }).done;
  t.equal(replaced.step, 13);
  t.equal(logged(out).steps.length, 13, 'overwrite: true starts over');
});
