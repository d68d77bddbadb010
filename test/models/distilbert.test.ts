// DistilBERT beyond the parity harness: its config (own names, aliases, checks, round trip,
// parameter count), sinusoidal positions as transformers makes them, attentions and hidden
// states, input checks, the MLM head on masked positions, vocabulary resizing.
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { io, models, torch } from '../../lib/index.js';
import '../../lib/models/distilbert/family.js';
import * as distilbert from '../../lib/models/distilbert/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
const root = mkdtempSync(join(tmpdir(), 'plm-distilbert-'));
const SMALL = { vocab_size: 53, dim: 20, n_layers: 2, n_heads: 4, hidden_dim: 33, max_position_embeddings: 24 };
const NO_DROPOUT = { dropout: 0, attention_dropout: 0, qa_dropout: 0, seq_classif_dropout: 0 };
const IDS = [
  [2, 15, 27, 33, 41, 9, 3],
  [2, 8, 19, 3, 0, 0, 0],
];
const MASK = IDS.map((row) => row.map((id, c) => (c === 0 || id !== 0 ? 1 : 0)));
const i64 = (v: number[][]) => torch.tensor(v, { dtype: 'int64' });
type Nested = number[][][];

t.test('the config has DistilBERT names and defaults, and round-trips with unknown keys', async (t) => {
  const base = new distilbert.DistilBertConfig();
  t.match(base.fields, { vocab_size: 30522, max_position_embeddings: 512, sinusoidal_pos_embds: false, n_layers: 6, n_heads: 12, dim: 768, hidden_dim: 3072 });
  t.match(base.fields, { dropout: 0.1, attention_dropout: 0.1, activation: 'gelu', initializer_range: 0.02, qa_dropout: 0.1, seq_classif_dropout: 0.2, pad_token_id: 0, tie_word_embeddings: true });
  t.equal(base.toJSON().model_type, 'distilbert');
  t.notOk('hidden_size' in base.fields, 'not a BertConfig');
  const json = { ...SMALL, model_type: 'distilbert', transformers_version: '5.18.0', custom_thing: { a: [1, 2] }, bos_token_id: null, num_labels: 4 };
  const config = distilbert.DistilBertConfig.fromJSON(json);
  t.equal(config.numLabels, 4);
  t.same(config.extra, { transformers_version: '5.18.0', custom_thing: { a: [1, 2] }, bos_token_id: null });
  const again = distilbert.DistilBertConfig.fromJSON(JSON.parse(JSON.stringify(config.toJSON())) as Record<string, unknown>);
  t.same(again.toJSON(), config.toJSON(), 'toJSON → fromJSON → toJSON is the same object');
  t.same(again.extra, config.extra, 'unknown keys kept');
  t.same(again.with({ n_layers: 3 }).extra, config.extra, 'with() keeps them too');
  t.ok(models.AutoConfig.forModel('distilbert') instanceof distilbert.DistilBertConfig, 'AutoConfig knows the family');
});

t.test("transformers' attribute_map names (hidden_size, num_hidden_layers, num_attention_heads) are read as DistilBERT's", async (t) => {
  const config = distilbert.DistilBertConfig.fromJSON({ model_type: 'distilbert', hidden_size: 32, num_hidden_layers: 3, num_attention_heads: 4 });
  t.match(config.fields, { dim: 32, n_layers: 3, n_heads: 4 });
  t.same(config.extra, {}, 'not kept as unknown keys');
  t.notOk('hidden_size' in config.toJSON(), 'written under the own names only');
  t.equal(new distilbert.DistilBertConfig({ hidden_size: 16, n_heads: 2 } as never).fields.dim, 16, 'also as constructor fields');
  t.throws(() => new distilbert.DistilBertConfig({ hidden_size: 16, dim: 32 } as never), /DistilBertConfig: hidden_size \(16\) is dim under another name, and dim is 32/);
});

t.test('a bad config field gives a message naming it', async (t) => {
  const C = distilbert.DistilBertConfig;
  t.throws(() => new C({ dim: 20.5 }), { name: 'TypeError', message: /^DistilBertConfig: dim must be an integer in \[1, 65536\], got 20\.5/ });
  t.throws(() => new C({ n_layers: 0 }), /^DistilBertConfig: n_layers must be an integer in \[1, 1024\], got 0$/);
  t.throws(() => new C({ hidden_dim: '3072' as unknown as number }), /^DistilBertConfig: hidden_dim must be an integer .* got the string "3072"/);
  t.throws(() => new C({ dim: 20, n_heads: 3 }), /^DistilBertConfig: dim \(20\) is not a multiple of n_heads \(3\)$/);
  t.throws(() => new C({ seq_classif_dropout: 1.5 }), /^DistilBertConfig: seq_classif_dropout must be a number in \[0, 1\], got 1\.5$/);
  t.throws(() => new C({ qa_dropout: -0.1 }), /qa_dropout must be a number in \[0, 1\]/);
  t.throws(() => new C({ attention_dropout: null as unknown as number }), /attention_dropout must be a number in \[0, 1\], got null/);
  t.throws(() => new C({ activation: 'mish' as never }), /^DistilBertConfig: activation "mish" is not supported \(gelu, .*tanh\)$/);
  t.throws(() => new C({ sinusoidal_pos_embds: 'yes' as unknown as boolean }), /^DistilBertConfig: sinusoidal_pos_embds must be true or false, got the string "yes"$/);
  t.throws(() => new C({ max_position_embeddings: 2 ** 21 }), /max_position_embeddings must be an integer in \[1, 1048576\]/);
  t.throws(() => new C({ pad_token_id: 60, vocab_size: 50 }), /pad_token_id 60 is outside the vocabulary of 50/);
  t.throws(() => C.fromJSON({ model_type: 'bert' }), /model_type "bert", not 'distilbert'/);
  t.throws(() => new distilbert.DistilBertModel({ fields: SMALL } as never), /a DistilBERT model needs a DistilBertConfig/);
  t.throws(() => new distilbert.DistilBertForQuestionAnswering(new C({ ...SMALL, num_labels: 3 })), /DistilBertForQuestionAnswering needs num_labels 2 \(start and end logits\), got 3/);
});

t.test('parameterCount is numParameters of the largest model the config builds', async (t) => {
  const tied = new distilbert.DistilBertConfig(SMALL);
  t.equal(tied.parameterCount, new distilbert.DistilBertForMaskedLM(tied).numParameters(), 'MLM, tied projector');
  const untied = new distilbert.DistilBertConfig({ ...SMALL, tie_word_embeddings: false });
  t.equal(untied.parameterCount, new distilbert.DistilBertForMaskedLM(untied).numParameters(), 'MLM, own projector');
  const manyLabels = new distilbert.DistilBertConfig({ ...SMALL, num_labels: 300 });
  t.equal(manyLabels.parameterCount, new distilbert.DistilBertForSequenceClassification(manyLabels).numParameters(), 'a classifier larger than the MLM head');
  const heads = [distilbert.DistilBertModel, distilbert.DistilBertForSequenceClassification, distilbert.DistilBertForTokenClassification];
  for (const M of heads) t.ok(new M(tied).numParameters() <= tied.parameterCount, `${M.architecture} is no larger`);
  // distilbert-base-uncased's DistilBertForMaskedLM: 66,985,530 parameters (66,362,880 in the encoder).
  t.equal(new distilbert.DistilBertConfig().parameterCount, 66_985_530);
});

t.test('sinusoidal_pos_embds: fresh position embeddings are the table transformers makes, and still train', { skip }, async (t) => {
  const config = new distilbert.DistilBertConfig({ ...SMALL, dim: 21, n_heads: 3, sinusoidal_pos_embds: true });
  const model = new distilbert.DistilBertModel(config);
  const theirs = runPython<{ weight: number[][]; grad: boolean }>(
    `
import torch, transformers
m = transformers.DistilBertModel(transformers.DistilBertConfig(**inp['config']))
w = m.embeddings.position_embeddings.weight
out({'weight': w.tolist(), 'grad': w.requires_grad})
`,
    { config: config.toJSON() },
  );
  const ours = model.embeddings.positionEmbeddings.weight;
  t.ok(maxAbsDiff(ours.toArray() as number[][], theirs.weight) < 1e-6, `the sin/cos table (max difference ${maxAbsDiff(ours.toArray() as number[][], theirs.weight).toExponential(2)})`);
  t.equal(ours.requiresGrad, theirs.grad, 'trainable as in transformers 5');
  const plain = new distilbert.DistilBertModel(new distilbert.DistilBertConfig(SMALL));
  t.ok(Math.abs((plain.embeddings.positionEmbeddings.weight.std().item() as number) - 0.02) < 0.005, 'learned positions start as N(0, initializer_range)');
});

t.test('attentions and hidden states match transformers, eager and fused', { skip }, async (t) => {
  torch.manualSeed(11);
  const config = new distilbert.DistilBertConfig({ ...SMALL, ...NO_DROPOUT });
  const model = new distilbert.DistilBertModel(config).eval();
  const dir = join(root, 'outputs');
  await model.savePretrained(dir);
  const theirs = runPython<{ attentions: number[][][][][]; hidden: Nested[] }>(
    `
import torch, transformers
m = transformers.DistilBertModel.from_pretrained(inp['dir'], attn_implementation='eager').eval()
o = m(input_ids=torch.tensor(inp['ids']), attention_mask=torch.tensor(inp['mask']), output_attentions=True, output_hidden_states=True)
out({'attentions': [a.tolist() for a in o.attentions], 'hidden': [h.tolist() for h in o.hidden_states]})
`,
    { dir, ids: IDS, mask: MASK },
  );
  const inputs = { inputIds: i64(IDS), attentionMask: i64(MASK) };
  const out = model.forward({ ...inputs, outputAttentions: true, outputHiddenStates: true });
  t.equal(out.poolerOutput, null, 'no pooler');
  t.equal(out.attentions!.length, 2);
  t.equal(out.hiddenStates!.length, 3, 'the embeddings and each block');
  t.equal(theirs.hidden.length, 3);
  const worstAttention = Math.max(...out.attentions!.map((a, i) => maxAbsDiff(a.toArray() as number[][][][], theirs.attentions[i]!)));
  const worstHidden = Math.max(...out.hiddenStates!.map((h, i) => maxAbsDiff(h.toArray() as Nested, theirs.hidden[i]!)));
  t.ok(worstAttention < 1e-6, `attention probabilities: max difference ${worstAttention.toExponential(2)}`);
  t.ok(worstHidden < 1e-5, `hidden states: max difference ${worstHidden.toExponential(2)}`);
  const fused = model.forward(inputs).lastHiddenState;
  const d = maxAbsDiff(fused.toArray() as Nested, out.lastHiddenState.toArray() as Nested);
  t.ok(d < 1e-5, `the fused path gives the eager path's output (max difference ${d.toExponential(2)})`);
  t.notOk('attentions' in model.forward(inputs), 'no attentions unless asked');
});

t.test('inputs are checked with messages that name them; token types are ignored', async (t) => {
  const model = new distilbert.DistilBertModel(new distilbert.DistilBertConfig(SMALL)).eval();
  t.throws(() => model.forward({ inputIds: [[1, 2]] as never }), /^DistilBertModel: inputIds must be a Tensor$/);
  t.throws(() => model.forward({ inputIds: torch.tensor([[1, 2]]) }), /inputIds must be int64 or int32, got float32/);
  t.throws(() => model.forward({ inputIds: torch.tensor([1, 2], { dtype: 'int64' }) }), /inputIds must have shape \(batch, length\), got \[2\]/);
  t.throws(() => model.forward({ inputIds: i64([[1, 53]]) }), /inputIds contains id 53, outside the vocabulary of 53/);
  t.throws(() => model.forward({ inputIds: i64([[1, -1]]) }), /inputIds contains id -1/);
  t.throws(() => model.forward({ inputIds: i64([Array.from({ length: 25 }, () => 1)]) }), /the sequence length 25 exceeds max_position_embeddings \(24\)/);
  t.throws(() => model.forward({ inputIds: i64([[1, 2]]), attentionMask: i64([[1, 1, 1]]) }), /attentionMask has shape \[1, 3\], inputIds \[1, 2\]/);
  t.throws(() => model.forward({ inputIds: i64([[1, 2]]), positionIds: i64([[0, 24]]) }), /positionIds contains 24, outside max_position_embeddings \(24\)/);
  const plain = model.forward({ inputIds: i64(IDS) }).lastHiddenState;
  const typed = model.forward({ inputIds: i64(IDS), tokenTypeIds: i64(IDS.map((row) => row.map((_, c) => (c > 3 ? 1 : 0)))) }).lastHiddenState;
  t.equal(maxAbsDiff(plain.toArray() as Nested, typed.toArray() as Nested), 0, 'tokenTypeIds change nothing');
  const shifted = model.forward({ inputIds: i64(IDS), positionIds: i64([[0, 1, 2, 3, 4, 5, 6]]) }).lastHiddenState;
  t.equal(maxAbsDiff(plain.toArray() as Nested, shifted.toArray() as Nested), 0, 'explicit positions 0..n-1 are the default');
});

t.test('the MLM head runs on masked positions only, with the loss of the full head', async (t) => {
  torch.manualSeed(5);
  const model = new distilbert.DistilBertForMaskedLM(new distilbert.DistilBertConfig({ ...SMALL, ...NO_DROPOUT })).eval();
  const labels = i64(IDS.map((row, r) => row.map((id, c) => ((r + c) % 3 === 1 && MASK[r]![c] === 1 ? id : -100))));
  const inputs = { inputIds: i64(IDS), attentionMask: i64(MASK), labels };
  const masked = model.forward(inputs);
  const full = model.forward({ ...inputs, maskedPositionsOnly: false });
  t.same(masked.logits.shape, [4, 53], 'one row per masked position');
  t.same(full.logits.shape, [2, 7, 53]);
  t.ok(Math.abs((masked.loss.item() as number) - (full.loss.item() as number)) < 1e-6, 'the same loss');
  t.same(model.forward({ inputIds: i64(IDS) }).logits.shape, [2, 7, 53], 'all positions without labels');
});

t.test('resizeTokenEmbeddings keeps old rows, the projector tied and its bias grown with zeros', async (t) => {
  torch.manualSeed(4);
  const model = new distilbert.DistilBertForMaskedLM(new distilbert.DistilBertConfig(SMALL));
  torch.noGrad(() => model.vocabProjector.bias!.normal_(0, 1));
  const oldRows = model.wordEmbeddings.weight.toArray() as number[][];
  const oldBias = model.vocabProjector.bias!.toArray() as number[];
  model.resizeTokenEmbeddings(60);
  t.same((model.wordEmbeddings.weight.toArray() as number[][]).slice(0, 53), oldRows, 'old rows kept');
  t.equal(model.vocabProjector.weight, model.wordEmbeddings.weight, 'still tied');
  t.same(model.vocabProjector.bias!.toArray() as number[], [...oldBias, 0, 0, 0, 0, 0, 0, 0], 'old bias kept, new entries zero');
  t.equal(model.config.fields.vocab_size, 60);
  t.same(model.forward({ inputIds: i64([[2, 59, 3]]) }).logits.shape, [1, 3, 60]);
  const dir = join(root, 'resized');
  await model.savePretrained(dir);
  const saved = io.loadSafetensors(join(dir, 'model.safetensors'));
  t.notOk('vocab_projector.weight' in saved, 'the tied weight is not written twice');
  t.same(saved['vocab_projector.bias']!.shape, [60], 'its own bias is');
  t.equal((JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { vocab_size: number }).vocab_size, 60);
  const back = await distilbert.DistilBertForMaskedLM.fromPretrained(dir);
  t.same(back.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} });
  t.equal(back.vocabProjector.weight, back.wordEmbeddings.weight, 'tied after loading');

  const untied = new distilbert.DistilBertForMaskedLM(new distilbert.DistilBertConfig({ ...SMALL, tie_word_embeddings: false }));
  const ownRows = untied.vocabProjector.weight.toArray() as number[][];
  untied.resizeTokenEmbeddings(56);
  t.not(untied.vocabProjector.weight, untied.wordEmbeddings.weight, 'an own projector stays its own');
  t.same(untied.vocabProjector.weight.shape, [56, 20]);
  t.same((untied.vocabProjector.weight.toArray() as number[][]).slice(0, 53), ownRows, 'and keeps its rows');
  t.same(untied.vocabProjector.bias!.shape, [56]);
});

t.test('the family: Auto classes, no pretraining head, bare encoder from a head folder', async (t) => {
  const family = models.familyOf('distilbert');
  t.equal(family.nextSentencePrediction, false);
  t.equal(family.models.preTraining, undefined);
  t.same(Object.keys(family.presets!), ['tiny', 'mini', 'small', 'base']);
  t.ok(new distilbert.DistilBertConfig(family.presets!.tiny) instanceof distilbert.DistilBertConfig, 'the presets build');
  torch.manualSeed(9);
  const classifier = models.AutoModelForSequenceClassification.fromConfig(new distilbert.DistilBertConfig({ ...SMALL, num_labels: 3 }));
  t.ok(classifier instanceof distilbert.DistilBertForSequenceClassification);
  const dir = join(root, 'classifier');
  await classifier.savePretrained(dir);
  t.same(models.folderTask(dir).task, 'sequenceClassification');
  await t.rejects(models.AutoModelForPreTraining.fromPretrained(dir), /the DistilBert family has no pretraining model \(AutoModelForPreTraining\)/);
  const base = await models.AutoModel.fromPretrained(dir);
  t.ok(base instanceof distilbert.DistilBertModel);
  t.same(base.loadReport!.missingKeys, [], 'the encoder loads from a head folder');
  t.same(base.loadReport!.unexpectedKeys.sort(), ['classifier.bias', 'classifier.weight', 'pre_classifier.bias', 'pre_classifier.weight'], 'the head goes unused');
  const mlm = await models.AutoModelForMaskedLM.fromPretrained(dir);
  t.same(mlm.loadReport!.missingKeys.sort(), ['vocab_layer_norm.bias', 'vocab_layer_norm.weight', 'vocab_projector.bias', 'vocab_transform.bias', 'vocab_transform.weight'], 'a new MLM head on a classifier');
  const labels = torch.tensor([0.5, 1.5], { dtype: 'float32' });
  const regression = new distilbert.DistilBertForSequenceClassification(new distilbert.DistilBertConfig({ ...SMALL, num_labels: 1 }));
  t.ok(regression.forward({ inputIds: i64(IDS), labels }).loss.item() as number > 0, 'one label: regression');
  t.equal(regression.config.fields.problem_type, 'regression', 'and remembered');
  const multi = new distilbert.DistilBertForSequenceClassification(new distilbert.DistilBertConfig({ ...SMALL, num_labels: 2 }));
  multi.forward({ inputIds: i64(IDS), labels: torch.tensor([[1, 0], [1, 1]], { dtype: 'float32' }) });
  t.equal(multi.config.fields.problem_type, 'multi_label_classification', 'float labels: multi-label');
});

t.test('a training step with the default dropouts reaches every parameter of every head', async (t) => {
  torch.manualSeed(13);
  const config = new distilbert.DistilBertConfig({ ...SMALL, num_labels: 2 });
  const inputs = { inputIds: i64(IDS), attentionMask: i64(MASK) };
  const heads: [models.PreTrainedModel, () => torch.Tensor][] = [];
  const mlm = new distilbert.DistilBertForMaskedLM(config);
  heads.push([mlm, () => mlm.forward({ ...inputs, labels: i64(IDS.map((row) => row.map((id, c) => (c % 2 ? id : -100)))) }).loss]);
  const seq = new distilbert.DistilBertForSequenceClassification(config);
  heads.push([seq, () => seq.forward({ ...inputs, labels: i64([[0], [1]]).view(-1) }).loss]);
  const tok = new distilbert.DistilBertForTokenClassification(config);
  heads.push([tok, () => tok.forward({ ...inputs, labels: i64(IDS.map((row) => row.map((id) => id % 2))) }).loss]);
  const qa = new distilbert.DistilBertForQuestionAnswering(config);
  heads.push([qa, () => qa.forward({ ...inputs, startPositions: i64([[1], [2]]).view(-1), endPositions: i64([[3], [3]]).view(-1) }).loss]);
  for (const [model, loss] of heads) {
    model.train();
    const value = loss();
    value.backward();
    const without = model.namedParameters().filter(([, p]) => !p.grad).map(([n]) => n);
    t.ok(Number.isFinite(value.item() as number), `${model.modelClass.architecture}: a finite loss`);
    t.same(without, [], `${model.modelClass.architecture}: every parameter has a gradient`);
  }
  const a = mlm.forward(inputs).logits;
  const b = mlm.forward(inputs).logits;
  t.ok(maxAbsDiff(a.toArray() as Nested, b.toArray() as Nested) > 0, 'dropout is on in training');
});
