// The replaced-token-detection objective: the generator's samples fill the masked positions,
// the discriminator's labels mark what changed, loss = MLM loss + 50 × discriminator loss, and
// no gradient crosses the sampling.
import t from 'tap';

import { nn, torch } from '../../lib/index.js';
import * as electra from '../../lib/models/electra/index.js';

const MASK_ID = 4;
const BASE = { vocab_size: 40, hidden_size: 24, num_hidden_layers: 1, num_attention_heads: 3, intermediate_size: 30, max_position_embeddings: 16, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
const ORIGINAL = [
  [2, 11, 12, 13, 14, 15, 3, 0],
  [2, 21, 22, 23, 24, 25, 26, 3],
];
const MASKED = [
  [0, 1, 0, 0, 1, 0, 0, 0],
  [0, 0, 1, 1, 0, 0, 1, 0],
];
const i64 = (rows: number[][]) => torch.tensor(rows, { dtype: 'int64' });
const batch = () => ({
  inputIds: i64(ORIGINAL.map((row, r) => row.map((id, c) => (MASKED[r]![c] ? MASK_ID : id)))),
  labels: i64(ORIGINAL.map((row, r) => row.map((id, c) => (MASKED[r]![c] ? id : -100)))),
  attentionMask: i64(ORIGINAL.map((row) => row.map((id, c) => (c === 0 || id !== 0 ? 1 : 0)))),
});

function models(seed: number) {
  torch.manualSeed(seed);
  // The paper's generator is smaller than its discriminator.
  const generator = new electra.ElectraForMaskedLM(new electra.ElectraConfig({ ...BASE, embedding_size: 8, hidden_size: 12 }));
  const discriminator = new electra.ElectraForPreTraining(new electra.ElectraConfig({ ...BASE, embedding_size: 8 }));
  generator.eval();
  discriminator.eval();
  return { generator, discriminator };
}

t.test('the loss is the MLM loss plus 50 times the discriminator loss on the corrupted batch', async (t) => {
  const { generator, discriminator } = models(1);
  const inputs = batch();
  const out = electra.replacedTokenDetectionLoss(generator, discriminator, inputs);
  const mlm = generator.forward({ ...inputs }).loss.item() as number;
  t.ok(Math.abs((out.mlmLoss.item() as number) - mlm) < 1e-6, 'the generator loss is its masked LM loss');
  const again = discriminator.forward({ inputIds: out.corruptedIds, attentionMask: inputs.attentionMask, labels: out.replacedLabels });
  t.ok(Math.abs((out.discriminatorLoss.item() as number) - (again.loss.item() as number)) < 1e-6, "the discriminator's loss on the corrupted ids and replaced labels");
  const expected = (out.mlmLoss.item() as number) + 50 * (out.discriminatorLoss.item() as number);
  t.ok(Math.abs((out.loss.item() as number) - expected) < 1e-4, `loss ${(out.loss.item() as number).toFixed(4)} = ${expected.toFixed(4)}`);
  t.same(out.generatorLogits.shape, [5, 40], 'one generator row per masked token');
  t.same(out.discriminatorLogits.shape, [2, 8]);
  const weighted = electra.replacedTokenDetectionLoss(generator, discriminator, inputs, { discriminatorWeight: 1 });
  t.ok(weighted.loss.item() as number < (out.loss.item() as number), 'the weight is λ');
});

t.test('the corrupted ids differ from the input only at masked positions, and the labels mark what changed', async (t) => {
  const { generator, discriminator } = models(2);
  const inputs = batch();
  const out = electra.replacedTokenDetectionLoss(generator, discriminator, inputs);
  const corrupted = out.corruptedIds.toArray() as number[][];
  const replaced = out.replacedLabels.toArray() as number[][];
  t.equal(out.corruptedIds.dtype, 'int64');
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 8; c++) {
      if (!MASKED[r]![c]) t.equal(corrupted[r]![c], ORIGINAL[r]![c], `[${r}, ${c}] unmasked, kept`);
      t.equal(replaced[r]![c], corrupted[r]![c] === ORIGINAL[r]![c] ? 0 : 1, `[${r}, ${c}] labelled ${replaced[r]![c]}`);
    }
  }
});

t.test('the samples follow the generator: a generator sure of one token writes it everywhere', async (t) => {
  const { generator, discriminator } = models(3);
  torch.noGrad(() => generator.generatorLmHead.bias!.narrow(0, 13, 1).fill_(1e4));
  const out = electra.replacedTokenDetectionLoss(generator, discriminator, batch());
  const corrupted = out.corruptedIds.toArray() as number[][];
  for (let r = 0; r < 2; r++) for (let c = 0; c < 8; c++) if (MASKED[r]![c]) t.equal(corrupted[r]![c], 13, `[${r}, ${c}] sampled 13`);
  // [0, 4] held 14 and [1, 2], [1, 3], [1, 6] held 22, 23, 26: replaced; nothing held 13 at a masked position.
  t.same(out.replacedLabels.toArray(), MASKED, 'every sampled token differs from the original');
  const cold = electra.replacedTokenDetectionLoss(generator, discriminator, batch(), { temperature: 1e6 });
  t.ok((cold.corruptedIds.toArray() as number[][]).flat().some((id, i) => MASKED.flat()[i] && id !== 13), 'a high temperature flattens the distribution');
});

t.test('the discriminator loss sends no gradient into the generator; the total trains both', async (t) => {
  const { generator, discriminator } = models(4);
  generator.train();
  discriminator.train();
  const out = electra.replacedTokenDetectionLoss(generator, discriminator, batch());
  out.discriminatorLoss.backward();
  t.ok(generator.parameters().every((p) => p.grad === null), 'the generator has no gradient from the discriminator');
  t.ok(discriminator.parameters().some((p) => p.grad !== null), 'the discriminator has');
  discriminator.zeroGrad();
  const total = electra.replacedTokenDetectionLoss(generator, discriminator, batch());
  total.loss.backward();
  const hasGrad = (m: nn.Module) => m.parameters().filter((p) => p.grad !== null).length;
  t.ok(hasGrad(generator) > 0 && hasGrad(discriminator) > 0, 'both models get gradients from the total');
});

t.test('mismatched vocabularies, batches with no masked token and bad options are refused', async (t) => {
  const { generator, discriminator } = models(5);
  const other = new electra.ElectraForPreTraining(new electra.ElectraConfig({ ...BASE, vocab_size: 41 }));
  t.throws(() => electra.replacedTokenDetectionLoss(generator, other, batch()), /the generator's vocabulary \(40\) is not the discriminator's \(41\)/);
  const unmasked = { ...batch(), labels: i64(ORIGINAL.map((row) => row.map(() => -100))) };
  t.throws(() => electra.replacedTokenDetectionLoss(generator, discriminator, unmasked), /labels mark no masked token/);
  t.throws(() => electra.replacedTokenDetectionLoss(generator, discriminator, batch(), { discriminatorWeight: -1 }), /discriminatorWeight must be a finite number ≥ 0, got -1/);
  t.throws(() => electra.replacedTokenDetectionLoss(generator, discriminator, batch(), { temperature: 0 }), /temperature must be a finite number > 0, got 0/);
});
