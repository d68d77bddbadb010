import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, data, inference, torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-predictions-'));
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', 'dog'];
writeFileSync(join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`);
const tokenizer = data.BertTokenizer.fromVocabFile(join(dir, 'vocab.txt'));
const config = (fields: Partial<bert.BertConfigFields> & { num_labels?: number }) =>
  new bert.BertConfig({ vocab_size: vocab.length, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 20, max_position_embeddings: 32, ...fields });
const TEXTS = ['the cat sat on the mat', 'the dog sat'];

/** The classifier's logits for each text, computed here without classify(). */
async function logitsOf(model: bert.BertForSequenceClassification): Promise<number[][]> {
  model.eval();
  const rows: number[][] = [];
  for (const text of TEXTS) {
    const e = await tokenizer.encode(text);
    rows.push((torch.noGrad(() => model.forward({ inputIds: torch.tensor([e.ids], { dtype: 'int64' }) }).logits.toArray()) as number[][])[0]!);
  }
  return rows;
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const scoresOf = (ps: inference.ClassPrediction[]) => ps.map((p) => Object.values(p.scores));

t.test('scores follow transformers\' pipeline: softmax for single-label, sigmoid for multi-label and one output', async (t) => {
  torch.manualSeed(0);
  const single = new bert.BertForSequenceClassification(config({ num_labels: 3 }));
  const logits = await logitsOf(single);
  t.equal(inference.defaultScoreFunction(single.config), 'softmax');
  t.ok(maxAbsDiff(scoresOf(await inference.classify(single, tokenizer, TEXTS)), logits.map(softmax)) < 1e-6, 'softmax');

  const multi = new bert.BertForSequenceClassification(config({ num_labels: 3, problem_type: 'multi_label_classification' }));
  const multiLogits = await logitsOf(multi);
  t.equal(inference.defaultScoreFunction(multi.config), 'sigmoid');
  const predicted = await inference.classify(multi, tokenizer, TEXTS);
  t.ok(maxAbsDiff(scoresOf(predicted), multiLogits.map((r) => r.map(sigmoid))) < 1e-6, 'sigmoid, each label on its own');
  t.equal(predicted[0]!.label, `LABEL_${multiLogits[0]!.indexOf(Math.max(...multiLogits[0]!))}`, 'the label is the highest score');

  const one = new bert.BertForSequenceClassification(config({ num_labels: 1 }));
  t.equal(inference.defaultScoreFunction(one.config), 'sigmoid');
  const raw = await inference.classify(one, tokenizer, TEXTS, { functionToApply: 'none' });
  t.ok(maxAbsDiff(scoresOf(raw), await logitsOf(one)) < 1e-6, "'none' gives the regression value itself");
  await t.rejects(inference.classify(one, tokenizer, TEXTS, { functionToApply: 'argmax' as 'none' }), /functionToApply must be 'softmax', 'sigmoid' or 'none'/);
});

t.test('the problem type a forward infers from its labels is kept in the config, as transformers does', async (t) => {
  const model = new bert.BertForSequenceClassification(config({ num_labels: 3 }));
  t.equal(model.config.fields.problem_type, null);
  const inputIds = torch.tensor([[2, 5, 6, 3]], { dtype: 'int64' });
  model.forward({ inputIds, labels: torch.tensor([[1, 0, 1]]) }).loss.backward();
  t.equal(model.config.fields.problem_type, 'multi_label_classification', 'float labels: multi-label');
  await model.savePretrained(join(dir, 'multi'));
  const back = await bert.BertForSequenceClassification.fromPretrained(join(dir, 'multi'));
  t.equal(inference.defaultScoreFunction(back.config), 'sigmoid', 'and its predictions use sigmoid after a save and load');
});
