// ELECTRA against transformers: every head through the shared parity harness (embedding_size
// unlike hidden_size, so the projection is exercised), the discriminator's loss with the
// 0/1 labels it is trained on (the harness gives it MLM labels), and the inputs' checks.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, models, torch } from '../../lib/index.js';
import * as electra from '../../lib/models/electra/index.js';
import '../../lib/models/electra/family.js';
import { familyParity } from '../helpers/family-parity.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
const root = mkdtempSync(join(tmpdir(), 'plm-electra-'));
const TINY = {
  vocab_size: 61, embedding_size: 10, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 29,
  max_position_embeddings: 40, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, pad_token_id: 0,
};
const IDS = [
  [2, 15, 27, 33, 41, 9, 3, 0, 0],
  [2, 5, 6, 7, 8, 9, 10, 11, 3],
];
const TYPES = [
  [0, 0, 0, 0, 1, 1, 1, 0, 0],
  [0, 0, 0, 0, 0, 1, 1, 1, 1],
];
const MASK = IDS.map((row) => row.map((id, c) => (c === 0 || id !== 0 ? 1 : 0)));

t.test('ELECTRA (embedding_size 10, hidden_size 24) through the Auto classes matches transformers', { skip }, async (t) => {
  familyParity(t, {
    configClass: 'ElectraConfig',
    config: TINY,
    classes: {
      base: 'ElectraModel',
      preTraining: 'ElectraForPreTraining',
      maskedLM: 'ElectraForMaskedLM',
      sequenceClassification: 'ElectraForSequenceClassification',
      tokenClassification: 'ElectraForTokenClassification',
      questionAnswering: 'ElectraForQuestionAnswering',
    },
    ids: IDS,
    tokenTypes: TYPES,
  });
});

t.test('ELECTRA with embedding_size equal to hidden_size (no projection) matches transformers', { skip }, async (t) => {
  familyParity(t, {
    configClass: 'ElectraConfig',
    config: { ...TINY, embedding_size: 24 },
    classes: { base: 'ElectraModel', maskedLM: 'ElectraForMaskedLM' },
    ids: IDS,
    tokenTypes: TYPES,
  });
});

interface DiscriminatorReference {
  logits: number[][];
  loss: number;
  grads: Record<string, number[]>;
}

t.test('the discriminator with replaced-token labels: loss over the attended tokens, and every gradient, as transformers', { skip }, async (t) => {
  torch.manualSeed(11);
  const model = new electra.ElectraForPreTraining(new electra.ElectraConfig(TINY));
  const dir = join(root, 'discriminator');
  await model.savePretrained(dir);
  // 1 where a token was replaced; padded positions carry labels the mask must hide.
  const labels = IDS.map((row, r) => row.map((_, c) => ((r * 5 + c * 3) % 4 === 1 ? 1 : 0)));
  for (const withMask of [true, false]) {
    const theirs = runPython<DiscriminatorReference>(
      `
import torch, transformers
m = transformers.ElectraForPreTraining.from_pretrained(inp['dir']).eval()
kw = dict(input_ids=torch.tensor(inp['ids']), token_type_ids=torch.tensor(inp['types']), labels=torch.tensor(inp['labels']))
if inp['mask'] is not None: kw['attention_mask'] = torch.tensor(inp['mask'])
o = m(**kw)
o.loss.backward()
out({'logits': o.logits.tolist(), 'loss': o.loss.item(), 'grads': {n: p.grad.flatten().tolist() for n, p in m.named_parameters() if p.grad is not None}})
`,
      { dir, ids: IDS, types: TYPES, labels, mask: withMask ? MASK : null },
    );
    model.eval();
    model.zeroGrad();
    const out = model.forward({
      inputIds: torch.tensor(IDS, { dtype: 'int64' }),
      tokenTypeIds: torch.tensor(TYPES, { dtype: 'int64' }),
      attentionMask: withMask ? torch.tensor(MASK, { dtype: 'int64' }) : null,
      labels: torch.tensor(labels, { dtype: 'int64' }),
    });
    const what = withMask ? 'with an attention mask' : 'without one';
    t.same(out.logits.shape, [2, 9], 'one logit per token');
    t.equal(out.predictionLogits, out.logits, 'predictionLogits is the same tensor');
    t.ok(maxAbsDiff(out.logits.toArray() as number[][], theirs.logits) < 1e-5, `logits ${what}`);
    const lossDiff = Math.abs((out.loss.item() as number) - theirs.loss);
    t.ok(lossDiff < 1e-6, `loss ${what}: ${(out.loss.item() as number).toFixed(6)} vs ${theirs.loss.toFixed(6)} (difference ${lossDiff.toExponential(2)})`);
    out.loss.backward();
    let worst = 0;
    const ours = new Map(model.namedParameters());
    t.same([...ours.keys()].filter((k) => ours.get(k)!.grad).sort(), Object.keys(theirs.grads).sort(), `the same parameters have gradients ${what}`);
    for (const [name, g] of Object.entries(theirs.grads)) worst = Math.max(worst, maxAbsDiff(ours.get(name)!.grad!.flatten().toArray() as number[], g));
    t.ok(worst < 1e-5, `gradients ${what}: max difference ${worst.toExponential(2)}`);
  }
  t.throws(() => model.forward({ inputIds: torch.tensor(IDS, { dtype: 'int64' }), labels: torch.tensor([[0, 1]], { dtype: 'int64' }) }), /labels have shape \[1, 2\], the input \[2, 9\]/);
});

t.test('the generator: the loss on the masked positions only is the loss on every position', async (t) => {
  torch.manualSeed(5);
  const model = new electra.ElectraForMaskedLM(new electra.ElectraConfig(TINY));
  model.eval();
  const inputIds = torch.tensor(IDS, { dtype: 'int64' });
  const labels = torch.tensor(IDS.map((row, r) => row.map((id, c) => ((r + c) % 3 === 1 && id !== 0 ? id : -100))), { dtype: 'int64' });
  const masked = model.forward({ inputIds, labels });
  const full = model.forward({ inputIds, labels, maskedPositionsOnly: false });
  t.same(masked.logits.shape, [labels.ne(-100).sum().item() as number, 61], 'one row per masked token');
  t.same(full.logits.shape, [2, 9, 61]);
  t.ok(Math.abs((masked.loss.item() as number) - (full.loss.item() as number)) < 1e-6);
  t.equal(model.generatorLmHead.weight, model.electra.embeddings.wordEmbeddings.weight, 'the projection is the word embeddings');
  t.same(model.electra.embeddings.wordEmbeddings.weight.shape, [61, 10], 'embeddings at embedding_size');
  t.same(model.electra.embeddingsProject!.weight.shape, [24, 10]);
});

t.test('the inputs are checked before libtorch sees them', async (t) => {
  const model = new electra.ElectraModel(new electra.ElectraConfig(TINY));
  const ids = (rows: number[][]) => torch.tensor(rows, { dtype: 'int64' });
  t.throws(() => model.forward({ inputIds: ids([[2, 61, 3]]) }), /inputIds contains id 61, outside the vocabulary of 61/);
  t.throws(() => model.forward({ inputIds: torch.tensor([[2, 3]], { dtype: 'float32' }) }), /inputIds must be int64 or int32, got float32/);
  t.throws(() => model.forward({ inputIds: torch.tensor([2, 3], { dtype: 'int64' }) }), /inputIds must have shape \(batch, length\)/);
  t.throws(() => model.forward({ inputIds: ids([Array.from({ length: 41 }, () => 5)]) }), /the sequence length 41 exceeds max_position_embeddings \(40\)/);
  t.throws(() => model.forward({ inputIds: ids([[2, 3]]), attentionMask: ids([[1, 1, 1]]) }), /attentionMask has shape \[1, 3\], inputIds \[1, 2\]/);
  t.throws(() => model.forward({ inputIds: ids([[2, 3]]), tokenTypeIds: ids([[0, 2]]) }), /tokenTypeIds contains 2, outside type_vocab_size \(2\)/);
  const out = model.forward({ inputIds: ids([[2, 3]]), outputHiddenStates: true, outputAttentions: true });
  t.equal(out.poolerOutput, null, 'no pooler');
  t.equal(out.hiddenStates!.length, 3, 'the projected embeddings and each layer');
  t.equal(out.attentions!.length, 2);
  t.throws(() => new electra.ElectraModel(new bert.BertConfig() as never), /a ELECTRA model needs a ElectraConfig/);
});

t.test('the Auto classes know the family; a discriminator folder loads as any head', async (t) => {
  t.ok(models.AutoConfig.forModel('electra', TINY) instanceof electra.ElectraConfig);
  const config = new electra.ElectraConfig(TINY);
  t.equal(models.familyOf('electra').nextSentencePrediction, false);
  t.ok(models.AutoModelForPreTraining.fromConfig(config) instanceof electra.ElectraForPreTraining);
  torch.manualSeed(2);
  const discriminator = new electra.ElectraForPreTraining(config);
  const dir = join(root, 'auto-discriminator');
  await discriminator.savePretrained(dir);
  t.same(models.folderTask(dir).task, 'preTraining');
  const classifier = await models.AutoModelForSequenceClassification.fromPretrained(dir, { config: { num_labels: 4 } });
  t.ok(classifier instanceof electra.ElectraForSequenceClassification);
  t.same(classifier.loadReport!.missingKeys.sort(), ['classifier.dense.bias', 'classifier.dense.weight', 'classifier.out_proj.bias', 'classifier.out_proj.weight']);
  t.same(classifier.loadReport!.unexpectedKeys.sort(), ['discriminator_predictions.dense.bias', 'discriminator_predictions.dense.weight', 'discriminator_predictions.dense_prediction.bias', 'discriminator_predictions.dense_prediction.weight']);
  const base = await models.AutoModel.fromPretrained(dir);
  t.ok(base instanceof electra.ElectraModel);
  t.same(base.loadReport!.missingKeys, [], 'the bare encoder takes the electra. weights');
  const ids = torch.tensor(IDS, { dtype: 'int64' });
  discriminator.eval();
  base.eval();
  const diff = discriminator.electra.forward({ inputIds: ids }).lastHiddenState.sub(base.forward({ inputIds: ids }).lastHiddenState).abs().max().item();
  t.equal(diff, 0, 'the same encoder');
});

t.test('an untied generator (tie_word_embeddings: false) loads and saves as transformers', { skip }, async (t) => {
  const dir = join(root, 'untied');
  const theirs = runPython<{ logits: number[][][] }>(
    `
import torch, transformers
torch.manual_seed(0)
m = transformers.ElectraForMaskedLM(transformers.ElectraConfig(**inp['config'], tie_word_embeddings=False)).eval()
with torch.no_grad(): m.generator_lm_head.weight.normal_(0, 0.5)
m.save_pretrained(inp['dir'])
out({'logits': m(input_ids=torch.tensor(inp['ids'])).logits.tolist()})
`,
    { config: TINY, ids: IDS, dir },
  );
  const model = await electra.ElectraForMaskedLM.fromPretrained(dir);
  t.same(model.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} });
  t.not(model.generatorLmHead.weight, model.wordEmbeddings.weight, 'its own projection');
  model.eval();
  const logits = model.forward({ inputIds: torch.tensor(IDS, { dtype: 'int64' }) }).logits;
  const diff = maxAbsDiff(logits.toArray() as number[][][], theirs.logits);
  t.ok(diff < 1e-5, `logits: max difference ${diff.toExponential(2)}`);
  await model.savePretrained(join(root, 'untied-again'));
  const back = runPython<{ missing: string[]; unexpected: string[]; logits: number[][][] }>(
    `
import torch, transformers
m, info = transformers.ElectraForMaskedLM.from_pretrained(inp['dir'], output_loading_info=True)
out({'missing': sorted(info['missing_keys']), 'unexpected': sorted(info['unexpected_keys']), 'logits': m.eval()(input_ids=torch.tensor(inp['ids'])).logits.tolist()})
`,
    { dir: join(root, 'untied-again'), ids: IDS },
  );
  t.same([back.missing, back.unexpected], [[], []], 'transformers loads every key');
  t.ok(maxAbsDiff(back.logits, theirs.logits) < 1e-5, 'and gives the same logits');
});
