// RoBERTa's own behaviour, beside the transformers parity (roberta-parity.test.ts): the config
// (roberta-base defaults, round trip, checks naming the field, a parameter count matching the
// models), fairseq's position ids and what they buy (left padding changes nothing), the length
// RoBERTa can number, vocabulary resizing with the decoder tied, and the family's registration.
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, models, torch } from '../../lib/index.js';
import '../../lib/models/roberta/family.js';
import * as roberta from '../../lib/models/roberta/index.js';

const small = { vocab_size: 53, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 12 };
const i64 = (v: number[][]) => torch.tensor(v, { dtype: 'int64' });
const root = mkdtempSync(join(tmpdir(), 'plm-roberta-'));

t.test('RobertaConfig has the defaults of roberta-base and keeps unknown keys through a round trip', async (t) => {
  const base = new roberta.RobertaConfig();
  t.match(base.fields, { vocab_size: 50265, max_position_embeddings: 514, type_vocab_size: 1, layer_norm_eps: 1e-5, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2, model_type: 'roberta' });
  t.equal(base.maxSequenceLength, 512, '514 positions number 512 tokens after the padding id');
  const json = { ...new roberta.RobertaConfig(small).toJSON(), custom_key: { nested: [1, 2] }, transformers_version: '5.0.0' };
  const again = roberta.RobertaConfig.fromJSON(JSON.parse(JSON.stringify(json)));
  t.same(again.extra, { custom_key: { nested: [1, 2] }, transformers_version: '5.0.0' }, 'unknown keys kept in extra');
  t.same(again.toJSON(), json, 'written back unchanged');
  t.equal(again.toJSON().model_type, 'roberta');
  t.same(roberta.RobertaConfig.fromJSON({ eos_token_id: [2, 3] }).fields.eos_token_id, [2, 3], 'several end ids, as transformers allows');
  t.throws(() => roberta.RobertaConfig.fromJSON({ model_type: 'bert' }), /config\.json has model_type "bert", not 'roberta'/);
});

t.test('a bad config field gives a message naming it', async (t) => {
  const C = roberta.RobertaConfig;
  t.throws(() => new C({ hidden_dropout_prob: '0.1' as unknown as number }), { name: 'TypeError', message: /^RobertaConfig: hidden_dropout_prob must be a number in \[0, 1\], got the string "0\.1"$/ });
  t.throws(() => new C({ ...small, num_attention_heads: 3 }), /^RobertaConfig: the hidden size \(16\) is not a multiple of the number of attention heads \(3\)$/);
  t.throws(() => new C({ pad_token_id: null }), /^RobertaConfig: pad_token_id must be an integer \(RoBERTa numbers positions after it\), got null$/);
  t.throws(() => new C({ ...small, pad_token_id: 11 }), /^RobertaConfig: pad_token_id must be an integer in \[0, max_position_embeddings - 2 = 10\], got 11$/);
  t.throws(() => new C({ bos_token_id: -1 }), /^RobertaConfig: bos_token_id must be null or an integer in \[0, 9999999\], got -1$/);
  t.throws(() => new C({ eos_token_id: 2.5 }), /^RobertaConfig: eos_token_id must be null or an integer .* \(2\.5 is not an integer\)$/);
  t.throws(() => new C({ eos_token_id: [2, 'x'] as unknown as number[] }), /^RobertaConfig: eos_token_id\[1\] must be an integer .* got the string "x"$/);
  t.throws(() => new C({ eos_token_id: [] }), /eos_token_id must be null, an integer or a non-empty list/);
  t.throws(() => new roberta.RobertaEmbeddings({} as never), /^new RobertaEmbeddings\(\): config must be a RobertaConfig/);
  t.throws(() => new roberta.RobertaLMHead(undefined as never, undefined as never), /^new RobertaLMHead\(\): config must be a RobertaConfig/);
  t.throws(() => new roberta.RobertaModel(new bert.BertConfig(small) as never), /config must be a RobertaConfig .*got a BertConfig object/);
});

t.test('parameterCount is the parameters of the largest model the config builds', async (t) => {
  const heads = (c: roberta.RobertaConfig) => [
    new roberta.RobertaModel(c),
    new roberta.RobertaForMaskedLM(c),
    new roberta.RobertaForSequenceClassification(c),
    new roberta.RobertaForTokenClassification(c),
  ];
  for (const [what, config] of [
    ['tied decoder', new roberta.RobertaConfig(small)],
    ['own decoder', new roberta.RobertaConfig({ ...small, tie_word_embeddings: false })],
    ['a classifier larger than the MLM head', new roberta.RobertaConfig({ ...small, num_labels: 40 })],
  ] as const) {
    const counts = heads(config).map((m) => m.numParameters());
    t.equal(config.parameterCount, Math.max(...counts), `${what}: ${counts.join(', ')}`);
  }
  // RobertaForMaskedLM(roberta-base), as transformers counts it (tied decoder once).
  t.equal(new roberta.RobertaConfig().parameterCount, 124_697_433);
});

t.test('position ids count the real tokens after the padding id, as fairseq numbers them', async (t) => {
  t.same(roberta.positionIdsFromInputIds(i64([[0, 5, 6, 2, 1, 1]]), 1).toArray(), [[2, 3, 4, 5, 1, 1]], 'right padding stays at the padding id');
  t.same(roberta.positionIdsFromInputIds(i64([[1, 1, 0, 5, 2]]), 1).toArray(), [[1, 1, 2, 3, 4]], 'left padding: the first real token is still at 2');
  t.same(roberta.positionIdsFromInputIds(i64([[3, 7, 0]]), 0).toArray(), [[1, 2, 0]], 'any padding id: with 0, positions start at 1');
});

t.test('left padding leaves the real tokens\' outputs unchanged, as the positions follow the padding', async (t) => {
  torch.manualSeed(5);
  const model = new roberta.RobertaModel(new roberta.RobertaConfig({ ...small, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }));
  model.eval();
  const alone = model.forward({ inputIds: i64([[0, 9, 17, 2]]) }).lastHiddenState;
  const padded = model.forward({ inputIds: i64([[1, 1, 0, 9, 17, 2]]), attentionMask: i64([[0, 0, 1, 1, 1, 1]]) }).lastHiddenState;
  const diff = padded.narrow(1, 2, 4).sub(alone).abs().max().item() as number;
  t.ok(diff < 1e-5, `max difference ${diff.toExponential(2)}`);
});

t.test('inputs are checked against the positions RoBERTa numbers, with clear errors', async (t) => {
  const model = new roberta.RobertaModel(new roberta.RobertaConfig(small));
  model.eval();
  const ids = (n: number) => i64([Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 5))]);
  t.same(model.forward({ inputIds: ids(10) }).lastHiddenState.shape, [1, 10, 16], '12 positions take 10 tokens');
  t.throws(() => model.forward({ inputIds: ids(11) }), /^the sequence length 11 exceeds the 10 tokens RobertaConfig numbers positions for \(max_position_embeddings 12 minus pad_token_id 1 minus 1: positions start after the padding id\)$/);
  t.throws(() => model.forward({ inputIds: ids(13) }), /the sequence length 13 exceeds the 10 tokens/, 'past the table, the same message');
  const positions = i64([Array.from({ length: 11 }, (_, i) => i)]);
  t.same(model.forward({ inputIds: ids(11), positionIds: positions }).lastHiddenState.shape, [1, 11, 16], 'given positions are used as they are');
  t.throws(() => model.forward({ inputIds: ids(3), positionIds: i64([[0, 1, 12]]) }), /^positionIds contains 12, outside the 12 positions \(max_position_embeddings\)$/);
  t.throws(() => model.forward({ inputIds: i64([[0, 53]]) }), /inputIds contains id 53, outside the vocabulary of 53/);
  t.throws(() => model.forward({ inputIds: torch.tensor([[0, 5]], { dtype: 'float32' }) }), /inputIds must be int64 or int32, got float32/);
  t.throws(() => model.forward({ inputIds: i64([[0, 5]]), tokenTypeIds: i64([[0, 1]]) }), /tokenTypeIds contains 1, outside type_vocab_size \(1\)/);
  t.throws(() => model.forward({ inputIds: undefined as never }), /inputIds must be a Tensor/);
});

t.test('resizeTokenEmbeddings keeps old rows and the decoder tied', async (t) => {
  torch.manualSeed(2);
  const model = new roberta.RobertaForMaskedLM(new roberta.RobertaConfig(small));
  const before = model.wordEmbeddings.weight.toArray() as number[][];
  model.resizeTokenEmbeddings(60);
  const weight = model.wordEmbeddings.weight;
  t.same(weight.shape, [60, 16]);
  t.same((weight.toArray() as number[][]).slice(0, 53), before, 'old rows kept');
  t.equal(model.lmHead.decoder.weight, weight, 'the decoder is the word embeddings');
  t.equal(model.lmHead.decoder.bias, model.lmHead.bias, 'and its bias the head\'s');
  t.same(model.lmHead.bias.shape, [60]);
  t.equal(model.config.fields.vocab_size, 60);
  t.same(model.forward({ inputIds: i64([[0, 59, 2]]) }).logits.shape, [1, 3, 60]);
  const dir = join(root, 'resized');
  await model.savePretrained(dir);
  const saved = Object.keys(JSON.parse(readFileSync(join(dir, 'model.safetensors')).subarray(8, 8 + Number(readFileSync(join(dir, 'model.safetensors')).readBigUInt64LE(0))).toString()));
  t.notOk(saved.includes('lm_head.decoder.weight') || saved.includes('lm_head.decoder.bias'), 'tied keys are not written');
  const again = await roberta.RobertaForMaskedLM.fromPretrained(dir);
  t.same(again.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} });
  t.equal(again.lmHead.decoder.weight, again.wordEmbeddings.weight, 'tied after loading');

  const untied = new roberta.RobertaForMaskedLM(new roberta.RobertaConfig({ ...small, tie_word_embeddings: false }));
  untied.resizeTokenEmbeddings(58);
  t.same(untied.lmHead.decoder.weight.shape, [58, 16], 'an untied decoder follows a resize');
  t.same(untied.lmHead.decoder.bias!.shape, [58]);
  t.not(untied.lmHead.decoder.weight, untied.wordEmbeddings.weight);
});

t.test('the family serves every task but pretraining with NSP, and sizes positions for the offset', async (t) => {
  const family = models.familyOf('roberta');
  t.equal(family.nextSentencePrediction, false);
  t.equal(family.models.preTraining, undefined, 'no pretraining class: RoBERTa pretrains with the masked LM');
  t.same(family.positionFields!(128), { max_position_embeddings: 514 });
  t.same(family.positionFields!(1024), { max_position_embeddings: 1026 });
  t.equal(models.taskOfArchitecture('RobertaForSequenceClassification')?.task, 'sequenceClassification');
  const config = models.AutoConfig.forModel('roberta', small);
  t.ok(config instanceof roberta.RobertaConfig);
  const mlm = models.AutoModelForMaskedLM.fromConfig(config);
  t.ok(mlm instanceof roberta.RobertaForMaskedLM);
  const dir = join(root, 'mlm');
  await mlm.savePretrained(dir);
  await t.rejects(models.AutoModelForPreTraining.fromPretrained(dir), /the Roberta family has no pretraining model \(AutoModelForPreTraining\)/);
  const classifier = await models.AutoModelForSequenceClassification.fromPretrained(dir, { config: { num_labels: 3 } });
  t.ok(classifier instanceof roberta.RobertaForSequenceClassification);
  t.same(classifier.loadReport!.missingKeys.sort(), ['classifier.dense.bias', 'classifier.dense.weight', 'classifier.out_proj.bias', 'classifier.out_proj.weight'], 'only the new head is missing');
  t.same(classifier.loadReport!.unexpectedKeys.sort(), ['lm_head.bias', 'lm_head.dense.bias', 'lm_head.dense.weight', 'lm_head.layer_norm.bias', 'lm_head.layer_norm.weight']);
  const base = await models.AutoModel.fromPretrained(dir);
  t.ok(base instanceof roberta.RobertaModel);
  t.same(base.loadReport!.missingKeys.sort(), ['pooler.dense.bias', 'pooler.dense.weight'], 'the encoder loads (only the pooler is new)');
  t.throws(() => new roberta.RobertaForQuestionAnswering(new roberta.RobertaConfig({ ...small, num_labels: 3 })), /RobertaForQuestionAnswering needs num_labels 2/);
});

t.test('problem types as transformers decides them, remembered in the config', async (t) => {
  torch.manualSeed(4);
  const model = new roberta.RobertaForSequenceClassification(new roberta.RobertaConfig({ ...small, num_labels: 3 }));
  const inputIds = i64([[0, 5, 2], [0, 6, 2]]);
  t.ok((model.forward({ inputIds, labels: torch.tensor([[1, 0, 1], [0, 0, 1]], { dtype: 'float32' }) }).loss.item() as number) > 0);
  t.equal(model.config.fields.problem_type, 'multi_label_classification');
  const regression = new roberta.RobertaForSequenceClassification(new roberta.RobertaConfig({ ...small, num_labels: 1 }));
  const out = regression.forward({ inputIds, labels: torch.tensor([0.5, -1], { dtype: 'float32' }) });
  const expected = out.logits.squeeze().sub(torch.tensor([0.5, -1])).pow(2).mean().item() as number;
  t.ok(Math.abs((out.loss.item() as number) - expected) < 1e-6, 'MSE on the squeezed logits');
  t.equal(regression.config.fields.problem_type, 'regression');
});

t.test('a fresh model as `pretrain --arch roberta` builds it trains on masked positions only, with the full loss', async (t) => {
  const { modelConfig } = await import('../../lib/train/recipes/pretrain.js');
  const config = modelConfig(models.familyOf('roberta'), 'tiny', { vocabSize: 40, padId: 0 }, 128);
  t.ok(config instanceof roberta.RobertaConfig);
  t.match(config.fields, { max_position_embeddings: 514, pad_token_id: 0, hidden_size: 128 });
  torch.manualSeed(11);
  const model = models.AutoModelForMaskedLM.fromConfig(config);
  model.eval();
  const inputIds = i64([[2, 7, 9, 11, 3, 0], [2, 5, 6, 3, 0, 0]]);
  const labels = i64([[-100, 7, -100, 11, -100, -100], [-100, -100, 6, -100, -100, -100]]);
  const masked = model.forward({ inputIds, attentionMask: inputIds.ne(0).long(), labels });
  const full = model.forward({ inputIds, attentionMask: inputIds.ne(0).long(), labels, maskedPositionsOnly: false });
  t.same(masked.logits.shape, [3, 40], 'one row per masked position');
  t.same(full.logits.shape, [2, 6, 40]);
  t.ok(Math.abs((masked.loss.item() as number) - (full.loss.item() as number)) < 1e-6, 'the same loss');
});
