// The Auto classes and the family registry: the class comes from config.json's model_type and
// the task; BERT through the shared transformers parity harness; a family defined here, in
// test/, works through every entry point with no edit outside its own code and one
// registerFamily() call.
import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AutoConfig, AutoModel, AutoModelForMaskedLM, AutoModelForSequenceClassification, bert, models, torch } from '../../lib/index.js';
import { familyParity } from '../helpers/family-parity.js';
import { missingPython } from '../helpers/python.js';

const root = mkdtempSync(join(tmpdir(), 'plm-auto-'));
const TINY = { vocab_size: 61, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 40 };

t.test('BERT through the Auto classes matches transformers', { skip: missingPython('torch', 'transformers') }, async (t) => {
  familyParity(t, {
    configClass: 'BertConfig',
    config: { ...TINY, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, pad_token_id: 0 },
    classes: {
      base: 'BertModel',
      preTraining: 'BertForPreTraining',
      maskedLM: 'BertForMaskedLM',
      sequenceClassification: 'BertForSequenceClassification',
      tokenClassification: 'BertForTokenClassification',
      questionAnswering: 'BertForQuestionAnswering',
    },
    ids: [
      [2, 15, 27, 33, 41, 9, 3, 0, 0],
      [2, 5, 6, 7, 8, 9, 10, 11, 3],
    ],
    tokenTypes: [
      [0, 0, 0, 0, 1, 1, 1, 0, 0],
      [0, 0, 0, 0, 0, 1, 1, 1, 1],
    ],
  });
});

t.test('the Auto classes choose the class from model_type and the task', async (t) => {
  const config = new bert.BertConfig(TINY);
  const dir = join(root, 'mlm');
  torch.manualSeed(1);
  const mlm = AutoModelForMaskedLM.fromConfig(config);
  t.ok(mlm instanceof bert.BertForMaskedLM);
  await mlm.savePretrained(dir);
  t.ok(AutoConfig.fromPretrained(dir) instanceof bert.BertConfig, 'AutoConfig gives the family config class');
  t.equal(AutoConfig.fromPretrained(dir, { num_labels: 4 }).numLabels, 4, 'with changes');
  const base = await AutoModel.fromPretrained(dir);
  t.ok(base instanceof bert.BertModel, 'AutoModel on a masked LM folder gives the bare encoder');
  t.same(base.loadReport!.missingKeys.filter((k) => !k.startsWith('pooler.')), [], 'the encoder loads (only the pooler is new)');
  const classifier = await AutoModelForSequenceClassification.fromPretrained(dir, { config: { num_labels: 3 } });
  t.ok(classifier instanceof bert.BertForSequenceClassification);
  t.equal(classifier.config.numLabels, 3);
  t.same(models.folderTask(dir), { family: models.familyOf('bert'), task: 'maskedLM', architecture: 'BertForMaskedLM' });
  t.equal(models.taskOfArchitecture('BertForQuestionAnswering')?.task, 'questionAnswering');
  t.ok(models.AutoConfig.forModel('bert', { hidden_size: 12, num_attention_heads: 3 }) instanceof bert.BertConfig);
});

t.test('unknown families and missing heads are clear errors', async (t) => {
  const dir = join(root, 'unknown');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_layer: 2 }));
  await t.rejects(AutoModelForMaskedLM.fromPretrained(dir), /config\.json has model_type "gpt2", which plm-torch does not know \(it knows .*bert/);
  t.throws(() => AutoConfig.fromPretrained(dir), /model_type "gpt2"/);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ hidden_size: 2 }));
  await t.rejects(AutoModel.fromPretrained(dir), /config\.json has no model_type; the known ones are .*bert/);
  await t.rejects(AutoModel.fromPretrained(join(root, 'nowhere')), /model folder .*nowhere does not exist \(and it is not a hub id/);
  t.throws(() => AutoConfig.forModel('nope'), /AutoConfig.forModel\(\) has model_type "nope"/);
  t.throws(() => models.registerFamily({ modelType: 'x', configClass: bert.BertConfig, models: {} }), /its configClass BertConfig has modelType 'bert'/);
});

// A family of our own, as a user (or a new folder in lib/models) would write it: BERT's blocks
// with a config of its own and one registerFamily() call. Nothing in lib/ names it.
class ToyConfig extends bert.BertConfig {
  static override readonly modelType = 'toy-encoder';
  static override readonly className = 'ToyConfig';
  static override readonly defaults = { ...bert.BertConfig.defaults, model_type: 'toy-encoder', hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 20, vocab_size: 50 };
}
class ToyForMaskedLM extends bert.BertForMaskedLM {
  static override readonly configClass = ToyConfig;
  static override readonly architecture = 'ToyForMaskedLM';
  static override readonly familyName = 'Toy';
}
class ToyForSequenceClassification extends bert.BertForSequenceClassification {
  static override readonly configClass = ToyConfig;
  static override readonly architecture = 'ToyForSequenceClassification';
  static override readonly familyName = 'Toy';
}

t.test('a family registered from test/ works through the Auto classes with no edit in lib/', async (t) => {
  models.registerFamily({ modelType: 'toy-encoder', configClass: ToyConfig, models: { maskedLM: ToyForMaskedLM, sequenceClassification: ToyForSequenceClassification } });
  const config = AutoConfig.forModel('toy-encoder');
  t.ok(config instanceof ToyConfig);
  t.equal(config.toJSON().model_type, 'toy-encoder');
  torch.manualSeed(3);
  const model = AutoModelForMaskedLM.fromConfig(config);
  t.ok(model instanceof ToyForMaskedLM);
  const dir = join(root, 'toy');
  await model.savePretrained(dir);
  const again = await AutoModelForMaskedLM.fromPretrained(dir);
  model.eval();
  again.eval();
  t.ok(again instanceof ToyForMaskedLM, 'loaded back as the toy class');
  t.same(again.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} });
  const ids = torch.tensor([[2, 7, 9, 3]], { dtype: 'int64' });
  const diff = model.forward({ inputIds: ids }).logits.sub(again.forward({ inputIds: ids }).logits).abs().max().item() as number;
  t.equal(diff, 0, 'the same logits after the round trip');
  t.same(models.folderTask(dir).architecture, 'ToyForMaskedLM');
  const classifier = await AutoModelForSequenceClassification.fromPretrained(dir, { config: { num_labels: 2 } });
  t.ok(classifier instanceof ToyForSequenceClassification);
  await t.rejects(models.AutoModelForQuestionAnswering.fromPretrained(dir), /the Toy family has no question answering head \(AutoModelForQuestionAnswering\)/);
  await t.rejects(bert.BertForMaskedLM.fromPretrained(dir), /model_type "toy-encoder", not 'bert'/, 'a BERT class refuses the toy folder');
});
