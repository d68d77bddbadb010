import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bert, data, torch } from '../../lib/index.js';

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
  t.match(run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'unknown-label.jsonl'), '--out', join(dir, 'o')).stderr, /label "other" is not one of \["bio","clinic"\]/);
  t.equal(run('finetune', '--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', join(dir, 'o'), '--lr', 'x').status, 2);
  t.match(run('finetune', '--help').stdout, /Usage: plm-torch finetune/);
});
