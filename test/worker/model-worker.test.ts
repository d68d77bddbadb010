// openModel(): a model folder in a worker answers exactly what the same calls answer on the
// main thread, keeps the event loop free, and fails with clear messages.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { finetune } from '../../lib/cli/finetune.js';
import { bert, data, inference, torch } from '../../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-model-worker-'));
const base = join(dir, 'base');
const classifier = join(dir, 'classifier');
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'protein', 'gene', 'cell', 'patient', 'dose', 'trial', 'the', 'of', 'a'];

t.before(async () => {
  torch.manualSeed(2);
  const model = new bert.BertForPreTraining(new bert.BertConfig({ vocab_size: vocab.length, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64 }));
  await model.savePretrained(base);
  data.BertTokenizer.fromVocab(vocab).save(base);
  const r = new data.Random(4);
  const records = Array.from({ length: 60 }, () => {
    const bio = r.next() < 0.5;
    const pool = bio ? ['protein', 'gene', 'cell'] : ['patient', 'dose', 'trial'];
    return JSON.stringify({ text: Array.from({ length: 5 }, () => pool[r.int(3)]).join(' '), label: bio ? 'bio' : 'clinic' });
  });
  writeFileSync(join(dir, 'train.jsonl'), records.join('\n'));
  t.equal(await finetune(['--from', base, '--train', join(dir, 'train.jsonl'), '--eval', join(dir, 'train.jsonl'), '--out', classifier, '--epochs', '1', '--quiet']), 0);
});

t.test('classify and evaluate in a worker equal the same calls on this thread', async (t) => {
  const texts = ['protein gene cell', 'patient dose trial', 'the cell of a patient'];
  const here = await inference.classify(await bert.BertForSequenceClassification.fromPretrained(classifier), data.BertTokenizer.fromPretrained(classifier), texts);
  const worker = await inference.openModel(classifier);
  t.equal(worker.architecture, 'BertForSequenceClassification');
  const there = await worker.classify(texts);
  t.same(there.map((p) => p.label), here.map((p) => p.label));
  for (let i = 0; i < texts.length; i++) {
    for (const label of ['bio', 'clinic']) t.ok(Math.abs(there[i]!.scores[label]! - here[i]!.scores[label]!) < 1e-6, `${texts[i]}: ${label}`);
  }
  const metrics = await worker.evaluate({ data: join(dir, 'train.jsonl') });
  t.same(metrics, await inference.evaluateModelFolder(classifier, { data: join(dir, 'train.jsonl') }));
  await t.rejects(worker.fillMasks(['a [MASK]']), /is a sequence classifier; use classify\(\)/);
  await t.rejects(worker.evaluate({ data: join(dir, 'absent.jsonl') }), /absent.jsonl does not exist/, 'a failed request rejects; the worker lives on');
  t.equal((await worker.classify(['gene'])).length, 1);
  await worker.close();
  await t.rejects(worker.classify(['gene']), /is closed/);
});

t.test('a masked language model fills masks in a worker as on this thread', async (t) => {
  const worker = await inference.openModel(base);
  const there = await worker.fillMasks(['the [MASK] of a [MASK]'], { topK: 3 });
  const here = await inference.fillMasks(await bert.BertForMaskedLM.fromPretrained(base), data.BertTokenizer.fromPretrained(base), ['the [MASK] of a [MASK]'], { topK: 3 });
  t.same(there[0]!.masks.map((m) => m.map((f) => f.token)), here[0]!.masks.map((m) => m.map((f) => f.token)));
  t.equal(there[0]!.masks.length, 2);
  await t.rejects(worker.fillMasks(['no mask here']), /has no \[MASK\] to fill/);
  await worker.close();
  await t.rejects(inference.openModel(join(dir, 'nowhere')), /nowhere/);
});
