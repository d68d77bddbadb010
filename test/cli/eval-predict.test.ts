import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bert, data, torch } from '../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-eval-'));
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'protein', 'gene', 'cell', 'patient', 'trial', 'dose', 'the', 'of', 'a', '.'];

t.before(async () => {
  torch.manualSeed(2);
  const model = new bert.BertForPreTraining(new bert.BertConfig({ vocab_size: VOCAB.length, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64 }));
  await model.savePretrained(join(dir, 'base'));
  data.BertTokenizer.fromVocab(VOCAB).save(join(dir, 'base'));
  const r = new data.Random(1);
  const record = () => {
    const bio = r.next() < 0.5;
    const words = Array.from({ length: 6 }, () => (r.next() < 0.5 ? ['the', 'of', 'a'][r.int(3)] : bio ? ['protein', 'gene', 'cell'][r.int(3)] : ['patient', 'trial', 'dose'][r.int(3)]));
    return JSON.stringify({ text: words.join(' '), label: bio ? 'bio' : 'clinic' });
  };
  writeFileSync(join(dir, 'train.jsonl'), `${Array.from({ length: 160 }, record).join('\n')}\n`);
  writeFileSync(join(dir, 'eval.jsonl'), `${Array.from({ length: 60 }, record).join('\n')}\n`);
  writeFileSync(join(dir, 'corpus.txt'), `${Array.from({ length: 60 }, (_, i) => `the protein of a cell ${i % 2 ? 'gene' : 'dose'} .${i % 5 === 4 ? '\n' : ''}`).join('\n')}\n`);
  const ft = run('finetune', '--from', join(dir, 'base'), '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', join(dir, 'cls'), '--epochs', '4', '--lr', '2e-3', '--quiet');
  if (ft.status !== 0) throw new Error(ft.stderr);
});

t.test('eval --data gives the metrics finetune recorded for the same model and records', async (t) => {
  const result = run('eval', '--model', join(dir, 'cls'), '--data', join(dir, 'eval.jsonl'), '--json');
  t.equal(result.status, 0, result.stderr);
  const ours = JSON.parse(result.stdout) as { accuracy: number; macroF1: number; loss: number; examples: number };
  const recorded = JSON.parse(readFileSync(join(dir, 'cls', 'eval.json'), 'utf8')) as typeof ours;
  t.equal(ours.examples, 60);
  t.equal(ours.accuracy, recorded.accuracy);
  t.ok(Math.abs(ours.loss - recorded.loss) < 1e-6);
});

t.test('eval --corpus reports MLM metrics; predict labels texts and fills masks', async (t) => {
  const mlm = run('eval', '--model', join(dir, 'base'), '--corpus', join(dir, 'corpus.txt'), '--batches', '3', '--batch-size', '4', '--seq-len', '32', '--json');
  t.equal(mlm.status, 0, mlm.stderr);
  const m = JSON.parse(mlm.stdout) as { mlmLoss: number; perplexity: number; nspAccuracy?: number };
  t.ok(Math.abs(m.perplexity - Math.exp(m.mlmLoss)) < 1e-9);
  t.ok(m.nspAccuracy !== undefined, 'a BertForPreTraining folder is evaluated on NSP too');
  const labels = run('predict', '--model', join(dir, 'cls'), '--text', 'protein gene cell', '--text', 'patient trial dose', '--json');
  t.equal(labels.status, 0, labels.stderr);
  const [a, b] = labels.stdout.trim().split('\n').map((l) => JSON.parse(l) as { label: string; scores: Record<string, number> });
  t.same([a!.label, b!.label], ['bio', 'clinic']);
  t.ok(Math.abs(a!.scores.bio! + a!.scores.clinic! - 1) < 1e-6, 'probabilities sum to 1');
  const fill = run('predict', '--model', join(dir, 'base'), '--text', 'the [MASK] of a cell', '--top', '3', '--json');
  t.equal(fill.status, 0, fill.stderr);
  const f = JSON.parse(fill.stdout) as { masks: { token: string; probability: number }[][] };
  t.equal(f.masks.length, 1);
  t.equal(f.masks[0]!.length, 3);
  t.ok(f.masks[0]!.every((x) => VOCAB.includes(x.token)));
  t.equal(run('predict', '--model', join(dir, 'base'), '--text', 'no mask here').status, 2);
  t.equal(run('eval', '--model', join(dir, 'base')).status, 2, 'neither --corpus nor --data');
  t.equal(run('eval', '--model', join(dir, 'nowhere'), '--data', join(dir, 'eval.jsonl')).status, 2);
  const top = run('predict', '--model', join(dir, 'base'), '--text', 'the [MASK] of a cell', '--top', '100000');
  t.equal(top.status, 1);
  t.match(top.stderr, /topK must be an integer from 1 to the vocabulary size \(\d+\), got 100000/);
  const long = run('predict', '--model', join(dir, 'base'), '--text', `${'cell '.repeat(600)}[MASK] and [MASK]`);
  t.match(long.stderr, /longer than the model's 512 tokens: 2 of its 2 \[MASK\]s fall past the end/);
  const notClassifier = run('eval', '--model', join(dir, 'base'), '--data', join(dir, 'eval.jsonl'));
  t.equal(notClassifier.status, 1);
  t.match(notClassifier.stderr, /holds a BertForPreTraining, not a sequence classifier/);
  t.match(run('predict', '--help').stdout, /Usage: plm-torch predict/);
  t.match(run('eval', '--help').stdout, /Usage: plm-torch eval/);
});
