import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { data } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-pretrain-'));

t.before(() => {
  const r = new data.Random(7);
  const words = ['gene', 'protein', 'cell', 'binds', 'the', 'a', 'of', 'to', 'and', 'enzyme', 'receptor', 'signal'];
  const lines: string[] = [];
  for (let d = 0; d < 150; d++) {
    for (let s = 0; s < 5; s++) lines.push(`${Array.from({ length: 5 + r.int(10) }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  writeFileSync(join(dir, 'corpus.txt'), lines.join('\n'));
  const trained = run('tokenizer', 'train', '--corpus', join(dir, 'corpus.txt'), '--out', join(dir, 'tok'), '--vocab-size', '100');
  if (trained.status !== 0) throw new Error(trained.stderr);
});

t.test('pretrain leaves OUT as a Hugging Face folder with metrics, eval and checkpoints', async (t) => {
  const out = join(dir, 'out');
  const result = run('pretrain', '--corpus', join(dir, 'corpus.txt'), '--tokenizer', join(dir, 'tok'), '--out', out, '--steps', '12', '--batch-size', '8', '--seq-len', '48', '--lr', '1e-3', '--checkpoint-every', '6');
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, /pretrained 12 steps .* MLM loss [\d.]+, perplexity [\d.]+, masked accuracy [\d.]+%, NSP accuracy [\d.]+%/);
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.txt', 'metrics.jsonl', 'eval.json']) t.ok(existsSync(join(out, f)), f);
  t.equal(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 12);
  const evaluation = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as { mlmLoss: number; perplexity: number };
  t.ok(Math.abs(evaluation.perplexity - Math.exp(evaluation.mlmLoss)) < 1e-9);
  t.ok(existsSync(join(out, 'checkpoints', 'step-12', 'trainer_state.json')));
  if (!missingPython('transformers')) {
    const py = runPython<{ missing: string[]; unexpected: string[]; ids: number[] }>(
      `from transformers import AutoModelForPreTraining, AutoTokenizer
m, info = AutoModelForPreTraining.from_pretrained(inp, output_loading_info=True)
tok = AutoTokenizer.from_pretrained(inp)
out({'missing': info['missing_keys'] and sorted(info['missing_keys']) or [], 'unexpected': sorted(info['unexpected_keys']), 'ids': tok('the gene binds a protein')['input_ids']})`,
      out,
    );
    t.same([py.missing, py.unexpected], [[], []], 'transformers loads the model with no missing or unexpected keys');
    const ours = await data.BertTokenizer.fromPretrained(out).encode('the gene binds a protein');
    t.same(py.ids, ours.ids, 'and the tokenizer gives the same ids');
  }
});

t.test('a second run into the same OUT without --resume is refused (it would train on the first run\'s shards)', async (t) => {
  const out = join(dir, 'out');
  const again = run('pretrain', '--corpus', join(dir, 'missing-now.txt'), '--tokenizer', join(dir, 'tok'), '--out', out, '--steps', '2');
  t.equal(again.status, 2);
  t.match(again.stderr, /--out: .*out holds a previous run \(data, checkpoints, metrics.jsonl\): pass --resume to continue it, or choose another --out/);
  t.equal(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 12, 'the first run\'s metrics are untouched');
  // Shards of the user's own inside OUT (data prepare --out OUT/data) are no previous run.
  const own = join(dir, 'own');
  const prepared = run('data', 'prepare', '--corpus', join(dir, 'corpus.txt'), '--tokenizer', join(dir, 'tok'), '--out', join(own, 'data'));
  t.equal(prepared.status, 0, prepared.stderr);
  const fromData = run('pretrain', '--data', join(own, 'data'), '--tokenizer', join(dir, 'tok'), '--out', own, '--steps', '2', '--batch-size', '4', '--seq-len', '32', '--quiet');
  t.equal(fromData.status, 0, fromData.stderr);
});

t.test('pretrain: bad flags are a message and a non-zero exit', async (t) => {
  const base = ['pretrain', '--corpus', join(dir, 'corpus.txt'), '--tokenizer', join(dir, 'tok'), '--out', join(dir, 'bad')];
  const size = run(...base, '--model', 'huge');
  t.equal(size.status, 2);
  t.match(size.stderr, /--model must be tiny, mini, small, base or a config.json, got 'huge'/);
  const timeout = run(...base, '--dist-timeout', '3000000');
  t.equal(timeout.status, 2);
  t.match(timeout.stderr, /--dist-timeout must be from 0.001 to 2147483.647 seconds \(24.8 days\), got 3000000/);
  const mask = run(...base, '--mask-prob', '1.5');
  t.equal(mask.status, 2);
  t.match(mask.stderr, /--mask-prob must be below 1, got 1.5/);
  const lr = run(...base, '--lr', 'fast');
  t.equal(lr.status, 2);
  t.match(lr.stderr, /--lr must be a positive number, got 'fast'/);
  const missing = run('pretrain', '--corpus', join(dir, 'missing.txt'), '--tokenizer', join(dir, 'tok'), '--out', join(dir, 'bad2'));
  t.equal(missing.status, 1);
  t.match(missing.stderr, /corpus file .*missing.txt does not exist/);
  t.equal(run('pretrain', '--out', join(dir, 'x'), '--tokenizer', join(dir, 'tok')).status, 2, 'neither --corpus nor --data');
  t.match(run('pretrain', '--help').stdout, /Usage: plm-torch pretrain/);
  t.notMatch(size.stderr + lr.stderr + missing.stderr, /\n\s+at /, 'no stack traces');
});
