// XLM-RoBERTa's own behaviour, beside the transformers parity (xlm-roberta-parity.test.ts): its
// config (xlm-roberta-base defaults, round trip, checks in its own name), RoBERTa's classes
// under its names and model_type, transformers' parameter order, and vocabulary resizing.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { models, torch } from '../../lib/index.js';
import '../../lib/models/roberta/family.js';
import '../../lib/models/xlm_roberta/family.js';
import * as roberta from '../../lib/models/roberta/index.js';
import * as xlmr from '../../lib/models/xlm_roberta/index.js';

const small = { vocab_size: 47, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 14 };
const root = mkdtempSync(join(tmpdir(), 'plm-xlmr-'));

t.test('XLMRobertaConfig has the defaults of xlm-roberta-base and keeps unknown keys through a round trip', async (t) => {
  const base = new xlmr.XLMRobertaConfig();
  t.match(base.fields, { vocab_size: 250002, max_position_embeddings: 514, type_vocab_size: 1, layer_norm_eps: 1e-5, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2, model_type: 'xlm-roberta' });
  t.ok(base instanceof roberta.RobertaConfig, 'a RoBERTa config, so RoBERTa\'s (and BERT\'s) blocks accept it');
  // XLMRobertaForMaskedLM(xlm-roberta-base), as transformers counts it (tied decoder once).
  t.equal(base.parameterCount, 278_295_186);
  const json = { ...new xlmr.XLMRobertaConfig(small).toJSON(), tokenizer_class: 'XLMRobertaTokenizer' };
  const again = xlmr.XLMRobertaConfig.fromJSON(json);
  t.same(again.extra, { tokenizer_class: 'XLMRobertaTokenizer' });
  t.same(again.toJSON(), json);
  t.equal(again.toJSON().model_type, 'xlm-roberta');
  t.throws(() => xlmr.XLMRobertaConfig.fromJSON({ model_type: 'roberta' }), /config\.json has model_type "roberta", not 'xlm-roberta'/);
  t.throws(() => new xlmr.XLMRobertaConfig({ layer_norm_eps: -1 }), /^XLMRobertaConfig: layer_norm_eps must be a number/);
  t.throws(() => new xlmr.XLMRobertaConfig({ ...small, pad_token_id: 13 }), /^XLMRobertaConfig: pad_token_id must be an integer in \[0, max_position_embeddings - 2 = 12\], got 13$/);
});

t.test('RoBERTa\'s classes under XLM-RoBERTa\'s names, config class and model_type', async (t) => {
  const config = new xlmr.XLMRobertaConfig(small);
  const counts: number[] = [];
  for (const [cls, parent] of [
    [xlmr.XLMRobertaModel, roberta.RobertaModel],
    [xlmr.XLMRobertaForMaskedLM, roberta.RobertaForMaskedLM],
    [xlmr.XLMRobertaForSequenceClassification, roberta.RobertaForSequenceClassification],
    [xlmr.XLMRobertaForTokenClassification, roberta.RobertaForTokenClassification],
    [xlmr.XLMRobertaForQuestionAnswering, roberta.RobertaForQuestionAnswering],
  ] as const) {
    const model = new (cls as unknown as new (c: xlmr.XLMRobertaConfig) => models.PreTrainedModel)(config);
    t.ok(model instanceof parent, `${cls.architecture} is a ${parent.architecture}`);
    t.equal(model.modelClass.baseModelPrefix, 'roberta');
    t.equal(models.taskOfArchitecture(cls.architecture)?.family.modelType, 'xlm-roberta');
    counts.push(model.numParameters());
    t.throws(() => new (cls as unknown as new (c: roberta.RobertaConfig) => unknown)(new roberta.RobertaConfig(small)), /^a XLM-RoBERTa model needs a XLMRobertaConfig$/);
  }
  t.equal(config.parameterCount, Math.max(...counts), 'parameterCount is the largest head');
  t.equal(models.familyOf('xlm-roberta').nextSentencePrediction, false);
  t.equal(models.familyOf('xlm-roberta').models.preTraining, undefined);
  t.same(models.familyOf('xlm-roberta').positionFields!(256), { max_position_embeddings: 514 });
});

t.test('parameters in transformers\' order: the heads before the encoder, the tied decoder named as transformers names it', async (t) => {
  const mlm = new xlmr.XLMRobertaForMaskedLM(new xlmr.XLMRobertaConfig(small));
  const names = mlm.namedParameters().map(([n]) => n);
  t.same(names.slice(0, 6), ['lm_head.bias', 'lm_head.dense.weight', 'lm_head.dense.bias', 'lm_head.layer_norm.weight', 'lm_head.layer_norm.bias', 'lm_head.decoder.weight']);
  t.notOk(names.includes('roberta.embeddings.word_embeddings.weight'), 'the tied weight appears once, under its first name');
  t.equal(Object.keys(mlm.stateDict())[0], 'lm_head.bias');
  const qa = new xlmr.XLMRobertaForQuestionAnswering(new xlmr.XLMRobertaConfig(small));
  t.same(qa.namedChildren().map(([n]) => n), ['qa_outputs', 'roberta']);
});

t.test('an XLM-RoBERTa folder: the Auto classes load its classes, RoBERTa\'s refuse it, and a resize keeps the decoder tied', async (t) => {
  torch.manualSeed(9);
  const model = models.AutoModelForMaskedLM.fromConfig(models.AutoConfig.forModel('xlm-roberta', small));
  t.ok(model instanceof xlmr.XLMRobertaForMaskedLM);
  const mlm = model as xlmr.XLMRobertaForMaskedLM;
  const before = mlm.wordEmbeddings.weight.toArray() as number[][];
  mlm.resizeTokenEmbeddings(52);
  t.same((mlm.wordEmbeddings.weight.toArray() as number[][]).slice(0, 47), before, 'old rows kept');
  t.equal(mlm.lmHead.decoder.weight, mlm.wordEmbeddings.weight, 'the decoder is the word embeddings');
  t.equal(mlm.lmHead.decoder.bias, mlm.lmHead.bias);
  const dir = join(root, 'mlm');
  await mlm.savePretrained(dir);
  const again = await models.AutoModelForMaskedLM.fromPretrained(dir);
  t.ok(again instanceof xlmr.XLMRobertaForMaskedLM);
  t.same(again.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} });
  mlm.eval();
  again.eval();
  const ids = torch.tensor([[0, 51, 7, 2, 1]], { dtype: 'int64' });
  t.equal(mlm.forward({ inputIds: ids }).logits.sub(again.forward({ inputIds: ids }).logits).abs().max().item(), 0, 'the same logits after the round trip');
  t.same(models.folderTask(dir).architecture, 'XLMRobertaForMaskedLM');
  const tagger = await models.AutoModelForTokenClassification.fromPretrained(dir, { config: { num_labels: 5 } });
  t.ok(tagger instanceof xlmr.XLMRobertaForTokenClassification);
  await t.rejects(roberta.RobertaForMaskedLM.fromPretrained(dir), /model_type "xlm-roberta", not 'roberta'/, 'a RoBERTa class refuses an XLM-RoBERTa folder');
  await t.rejects(models.AutoModelForPreTraining.fromPretrained(dir), /the XLMRoberta family has no pretraining model/);
});
