import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { majorityBaseline } from '../../lib/cli/demo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-demo-'));
const jsonl = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string });

t.test('the shipped corpora match SOURCES.json, and no eval record is in the domain corpus', async (t) => {
  const sources = JSON.parse(readFileSync(join(root, 'data/SOURCES.json'), 'utf8')) as { task: { train: number; eval: number; labels: Record<string, { train: number; eval: number }> } };
  const train = jsonl(join(root, 'data/task/train.jsonl'));
  const evaluation = jsonl(join(root, 'data/task/eval.jsonl'));
  t.equal(train.length, sources.task.train);
  t.equal(evaluation.length, sources.task.eval);
  for (const [label, n] of Object.entries(sources.task.labels)) {
    t.equal(evaluation.filter((r) => r.label === label).length, n.eval, `${label} in eval`);
  }
  const domain = ['jargon-file', 'foldoc'].map((f) => gunzipSync(readFileSync(join(root, `data/domain/${f}.txt.gz`))).toString('utf8')).join(' ').replace(/\s+/g, ' ');
  const opening = (r: { text: string }) => r.text.slice(r.text.indexOf(': ') + 2, r.text.indexOf(': ') + 62);
  t.same(evaluation.filter((r) => domain.includes(opening(r))).map(opening), [], 'no eval definition is in the domain text');
  t.ok(train.filter((r) => domain.includes(opening(r))).length > 0.9 * train.length, 'while the training definitions are (task-adaptive pretraining)');
});

t.test('majorityBaseline: the scores of always answering the commonest label', async (t) => {
  const b = majorityBaseline(['a', 'a', 'a', 'b', 'c']);
  t.equal(b.label, 'a');
  t.equal(b.accuracy, 0.6);
  // F1 of "a": precision 0.6, recall 1 → 0.75; "b" and "c" score 0; the mean is 0.25.
  t.ok(Math.abs(b.macroF1 - 0.25) < 1e-12);
});

t.test('demo --quick runs the whole path and its table agrees with each run', async (t) => {
  const out = join(dir, 'quick');
  const result = run('demo', '--quick', '--out', out);
  t.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { rows: { model: string; accuracy: number; macroF1: number; run: string }[]; baseline: { accuracy: number } };
  t.same(summary.rows.map((r) => r.model), ['general', 'general + domain-adapted']);
  for (const row of summary.rows) {
    const e = JSON.parse(readFileSync(join(row.run, 'eval.json'), 'utf8')) as { accuracy: number; macroF1: number; examples: number };
    t.same([row.accuracy, row.macroF1, e.examples], [e.accuracy, e.macroF1, 394], `${row.model}: the table shows the run's own evaluation`);
    t.match(result.stdout, `| ${row.model} |`);
  }
  t.ok(Math.abs(summary.baseline.accuracy - 134 / 394) < 1e-12, 'the baseline is the commonest label\'s share');
  for (const run of ['general', 'adapted', 'classifier-from-general', 'classifier-from-adapted']) t.ok(existsSync(join(out, run, 'metrics.svg')), `${run}/metrics.svg`);
  const general = readFileSync(join(out, 'general/vocab.txt'), 'utf8').trim().split('\n').length;
  const added = (JSON.parse(readFileSync(join(out, 'adapted/domain_terms.json'), 'utf8')) as unknown[]).length;
  t.equal(readFileSync(join(out, 'adapted/vocab.txt'), 'utf8').trim().split('\n').length, general + added, 'the adapted vocabulary is the general one plus the domain words');
  t.ok(added > 0);
  t.ok(existsSync(join(out, 'results.md')));
});

t.test('demo refuses an --out folder that holds other files', async (t) => {
  const out = join(dir, 'precious');
  mkdirSync(out);
  writeFileSync(join(out, 'thesis.tex'), 'keep me');
  const r = run('demo', '--quick', '--out', out);
  t.equal(r.status, 2);
  t.match(r.stderr, /holds files that are not an earlier demo's/);
  t.equal(readFileSync(join(out, 'thesis.tex'), 'utf8'), 'keep me');
  const bad = run('demo', '--quick', '--out', join(dir, 'x'), '--train', join(dir, 'none.jsonl'));
  t.equal(bad.status, 1);
  t.match(bad.stderr, /none.jsonl does not exist/);
});
