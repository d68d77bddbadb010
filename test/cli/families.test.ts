// Every registered family from the command line: a byte-level BPE tokenizer trained here,
// `pretrain --arch <family>`, then `adapt` and `finetune` on the result; the fine-tuned folder
// loads through the Auto class as the family's classifier, and in transformers.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AutoModelForSequenceClassification, data, models } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-families-'));
const corpus = join(dir, 'corpus.txt');
const tokenizerDir = join(dir, 'tokenizer');

function records(n: number, seed: number): string {
  const r = new data.Random(seed);
  const bio = ['protein', 'binding', 'gene', 'expression', 'cell'];
  const clinic = ['patient', 'clinical', 'study', 'dose', 'trial'];
  return `${Array.from({ length: n }, () => {
    const isBio = r.next() < 0.5;
    const words = Array.from({ length: 6 }, () => (isBio ? bio : clinic)[r.int(5)]);
    return JSON.stringify({ text: words.join(' '), label: isBio ? 'bio' : 'clinic' });
  }).join('\n')}\n`;
}

t.before(() => {
  const r = new data.Random(4);
  const words = ['protein', 'binding', 'gene', 'expression', 'cell', 'patient', 'clinical', 'study', 'dose', 'trial', 'the', 'of', 'and'];
  const lines: string[] = [];
  for (let d = 0; d < 60; d++) {
    for (let s = 0; s < 4; s++) lines.push(`${Array.from({ length: 9 }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  writeFileSync(corpus, lines.join('\n'));
  writeFileSync(join(dir, 'train.jsonl'), records(64, 1));
  writeFileSync(join(dir, 'eval.jsonl'), records(32, 2));
  const trained = run('tokenizer', 'train', '--type', 'bpe', '--corpus', corpus, '--out', tokenizerDir, '--vocab-size', '300');
  if (trained.status !== 0) throw new Error(trained.stderr);
});

const transformers = missingPython('torch', 'transformers');

for (const family of models.registeredFamilies()) {
  t.test(`${family.modelType}: pretrain --arch, adapt and finetune run from the CLI`, async (t) => {
    const pretrained = join(dir, `${family.modelType}-pretrained`);
    const common = ['--steps', '3', '--batch-size', '4', '--max-length', '32', '--quiet'];
    const p = run('pretrain', '--arch', family.modelType, '--model', 'tiny', '--corpus', corpus, '--tokenizer', tokenizerDir, '--out', pretrained, ...common);
    t.equal(p.status, 0, p.stderr);
    const config = JSON.parse(readFileSync(join(pretrained, 'config.json'), 'utf8')) as { model_type: string; architectures: string[]; vocab_size: number; pad_token_id: number };
    t.equal(config.model_type, family.modelType);
    t.equal(config.vocab_size, 300);
    t.equal(config.pad_token_id, 1, "the tokenizer's <pad>");
    t.equal(config.architectures[0], family.models[family.nextSentencePrediction ? 'preTraining' : 'maskedLM']!.architecture);
    const adapted = join(dir, `${family.modelType}-adapted`);
    const a = run('adapt', '--from', pretrained, '--corpus', corpus, '--out', adapted, ...common);
    t.equal(a.status, 0, a.stderr);
    const tuned = join(dir, `${family.modelType}-tuned`);
    const f = run('finetune', '--from', adapted, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'eval.jsonl'), '--out', tuned, '--epochs', '1', '--batch-size', '8', '--max-length', '16', '--quiet');
    t.equal(f.status, 0, f.stderr);
    const evaluation = JSON.parse(readFileSync(join(tuned, 'eval.json'), 'utf8')) as { accuracy: number };
    t.ok(evaluation.accuracy >= 0 && evaluation.accuracy <= 1, `accuracy ${evaluation.accuracy}`);
    const classifier = await AutoModelForSequenceClassification.fromPretrained(tuned);
    t.equal(classifier.modelClass.architecture, family.models.sequenceClassification!.architecture);
    t.same(classifier.loadReport!.missingKeys, [], 'the fine-tuned folder holds every weight');
    if (!transformers) {
      const theirs = runPython<{ arch: string; missing: string[]; unexpected: string[] }>(
        `from transformers import AutoModelForSequenceClassification
m, info = AutoModelForSequenceClassification.from_pretrained(inp, output_loading_info=True)
out({'arch': type(m).__name__, 'missing': info['missing_keys'] and sorted(info['missing_keys']) or [], 'unexpected': sorted(info['unexpected_keys'])})`,
        tuned,
      );
      t.same(theirs, { arch: family.models.sequenceClassification!.architecture, missing: [], unexpected: [] }, 'transformers loads the fine-tuned folder as the same class');
    }
  });
}
