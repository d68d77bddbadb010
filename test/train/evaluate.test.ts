import t from 'tap';

import { bert, data, torch, train } from '../../lib/index.js';

t.test('accuracy and macro-F1 by hand', async (t) => {
  // class 0: tp 2, fp 1, fn 0 → F1 4/5; class 1: tp 1, fp 0, fn 1 → 2/3; class 2: tp 0, fp 0, fn 0 → left out
  const m = train.classificationMetrics([0, 0, 1, 0], [0, 0, 1, 1], 3);
  t.equal(m.accuracy, 0.75);
  t.ok(Math.abs(m.macroF1 - (0.8 + 2 / 3) / 2) < 1e-12);
  t.same(train.classificationMetrics([2, 2], [2, 2], 3), { accuracy: 1, macroF1: 1 });
  t.throws(() => train.classificationMetrics([], [], 2), RangeError);
});

t.test('pretraining metrics: perplexity is exp(loss), accuracy counts masked tokens only', async (t) => {
  torch.manualSeed(0);
  const model = new bert.BertForPreTraining(new bert.BertConfig({ vocab_size: 50, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 32 }));
  const collator = new data.MlmCollator({ vocabSize: 50, maskId: 4, padId: 0, specialIds: [0, 1, 2, 3, 4], maskProbability: 0.3, seed: 1 });
  const r = new data.Random(4);
  const batches = Array.from({ length: 3 }, () => collator.collate(Array.from({ length: 4 }, () => ({ inputIds: [2, ...Array.from({ length: 10 }, () => 5 + r.int(45)), 3], nextSentenceLabel: r.int(2) }))));
  const m = train.evaluatePretraining(model, batches);
  t.ok(Math.abs(m.perplexity - Math.exp(m.mlmLoss)) < 1e-9);
  const masked = batches.reduce((n, b) => n + (b.labels.ne(-100).sum().item() as number), 0);
  t.equal(m.maskedTokens, masked);
  // The loss of an untrained model over 50 tokens is near ln 50.
  t.ok(Math.abs(m.mlmLoss - Math.log(50)) < 0.6, `mlm loss ${m.mlmLoss.toFixed(3)} near ln 50 = ${Math.log(50).toFixed(3)}`);
  t.ok(m.nspAccuracy !== undefined && m.nspAccuracy >= 0 && m.nspAccuracy <= 1);
  // The same loss as the model's own mean over masked positions, batch by batch.
  const own = batches.map((b) => torch.noGrad(() => model.forward({ ...b }).mlmLoss!.item() as number));
  const counts = batches.map((b) => b.labels.ne(-100).sum().item() as number);
  const weighted = own.reduce((s, l, i) => s + l * counts[i]!, 0) / masked;
  t.ok(Math.abs(weighted - m.mlmLoss) < 1e-5, 'token-weighted loss equals the model loss weighted by masked tokens');
});

t.test('evaluation refuses a model that is not a Module, naming the argument', async (t) => {
  t.throws(() => train.evaluatePretraining({} as never, []), /evaluatePretraining\(\): model must be a Module/);
  t.throws(() => train.evaluateClassification(undefined as never, []), /evaluateClassification\(\): model must be a Module .* got undefined/);
});
