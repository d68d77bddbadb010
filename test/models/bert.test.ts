// BERT against transformers: identical weights (folders written by transformers), identical
// inputs, outputs and gradients compared; folders written here loaded by transformers.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, optim, torch } from '../../lib/index.js';
import { activation } from '../../lib/models/activation.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
const root = mkdtempSync(join(tmpdir(), 'plm-bert-'));

const CONFIG = {
  vocab_size: 99, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 37,
  max_position_embeddings: 64, type_vocab_size: 2, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0,
};
const IDS = [[2, 15, 27, 33, 41, 9, 3, 50, 61, 3, 0, 0], [2, 88, 7, 19, 3, 23, 42, 3, 0, 0, 0, 0], [2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 3]];
const MASK = IDS.map((row) => row.map((id, i) => (i === 0 || id !== 0 ? 1 : 0)));
const TYPES = [[0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]];
const MLM_LABELS = IDS.map((row, r) => row.map((id, i) => ((i + r) % 4 === 1 && id !== 0 ? id : -100)));
const NSP = [0, 1, 0];
const CLS_LABELS = [2, 0, 1];

const PY = `
import torch, transformers
from transformers import BertConfig, BertModel, BertForPreTraining, BertForMaskedLM, BertForSequenceClassification
cfg = BertConfig(**inp['config'])
ids, mask, types = torch.tensor(inp['ids']), torch.tensor(inp['mask']), torch.tensor(inp['types'])
mlm_labels, nsp, cls_labels = torch.tensor(inp['mlm']), torch.tensor(inp['nsp']), torch.tensor(inp['cls'])
def grads(model):
    return {n: p.grad.flatten().tolist() for n, p in model.named_parameters() if p.grad is not None}
res = {}
torch.manual_seed(0)
m = BertForPreTraining(cfg).eval(); m.save_pretrained(inp['dir'] + '/pretraining')
o = m(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=mlm_labels, next_sentence_label=nsp)
o.loss.backward()
res['pretraining'] = {'loss': o.loss.item(), 'logits': o.prediction_logits.tolist(), 'nsp': o.seq_relationship_logits.tolist(), 'grads': grads(m)}
torch.manual_seed(1)
m = BertModel(cfg).eval(); m.save_pretrained(inp['dir'] + '/base')
o = m(input_ids=ids, attention_mask=mask, token_type_ids=types, output_hidden_states=True)
res['base'] = {'last': o.last_hidden_state.tolist(), 'pooled': o.pooler_output.tolist(), 'hidden1': o.hidden_states[1].tolist()}
torch.manual_seed(2)
m = BertForMaskedLM(cfg).eval(); m.save_pretrained(inp['dir'] + '/mlm')
o = m(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=mlm_labels)
o.loss.backward()
res['mlm'] = {'loss': o.loss.item(), 'logits': o.logits.tolist(), 'grads': grads(m)}
torch.manual_seed(3)
m = BertForSequenceClassification(BertConfig(**inp['config'], num_labels=3)).eval(); m.save_pretrained(inp['dir'] + '/cls')
o = m(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=cls_labels)
o.loss.backward()
res['cls'] = {'loss': o.loss.item(), 'logits': o.logits.tolist(), 'grads': grads(m)}
# ten AdamW steps of pretraining from the pretraining folder
m = BertForPreTraining.from_pretrained(inp['dir'] + '/pretraining').train()
opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
losses = []
for _ in range(10):
    o = m(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=mlm_labels, next_sentence_label=nsp)
    opt.zero_grad(); o.loss.backward(); opt.step(); losses.append(o.loss.item())
res['steps'] = losses
out(res)
`;

type Nested = number[][][] | number[][] | number[];
interface Reference {
  pretraining: { loss: number; logits: Nested; nsp: Nested; grads: Record<string, number[]> };
  base: { last: Nested; pooled: Nested; hidden1: Nested };
  mlm: { loss: number; logits: Nested; grads: Record<string, number[]> };
  cls: { loss: number; logits: Nested; grads: Record<string, number[]> };
  steps: number[];
}

let ref: Reference | undefined;
const reference = (): Reference => (ref ??= runPython<Reference>(PY, { config: CONFIG, ids: IDS, mask: MASK, types: TYPES, mlm: MLM_LABELS, nsp: NSP, cls: CLS_LABELS, dir: root }));

const inputs = () => ({
  inputIds: torch.tensor(IDS, { dtype: 'int64' }),
  attentionMask: torch.tensor(MASK, { dtype: 'int64' }),
  tokenTypeIds: torch.tensor(TYPES, { dtype: 'int64' }),
});
const i64 = (v: number[] | number[][]) => torch.tensor(v, { dtype: 'int64' });

function gradError(model: bert.BertPreTrainedModel, theirs: Record<string, number[]>): number {
  let worst = 0;
  const names = new Set<string>();
  for (const [name, p] of model.namedParameters()) {
    names.add(name);
    const g = p.grad;
    const expected = theirs[name];
    if (!g || !expected) throw new Error(`gradient of ${name}: ours ${g ? 'present' : 'missing'}, theirs ${expected ? 'present' : 'missing'}`);
    worst = Math.max(worst, maxAbsDiff(g.flatten().toArray() as number[], expected));
  }
  for (const name of Object.keys(theirs)) if (!names.has(name)) throw new Error(`transformers has a gradient for ${name}, we have no such parameter`);
  return worst;
}

t.test('BertForPreTraining: logits, loss and every gradient match transformers', { skip }, async (t) => {
  const r = reference();
  const model = await bert.BertForPreTraining.fromPretrained(join(root, 'pretraining'));
  model.eval();
  t.same(model.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} }, 'every weight loaded');
  const full = model.forward({ ...inputs(), labels: i64(MLM_LABELS), nextSentenceLabel: i64(NSP), maskedPositionsOnly: false });
  t.ok(maxAbsDiff(full.predictionLogits.toArray() as Nested, r.pretraining.logits) < 1e-5, 'prediction logits');
  t.ok(maxAbsDiff(full.seqRelationshipLogits.toArray() as Nested, r.pretraining.nsp) < 1e-5, 'seq relationship logits');
  t.ok(Math.abs((full.loss.item() as number) - r.pretraining.loss) < 1e-5, 'loss (full logits)');
  const fast = model.forward({ ...inputs(), labels: i64(MLM_LABELS), nextSentenceLabel: i64(NSP) });
  t.ok(Math.abs((fast.loss.item() as number) - r.pretraining.loss) < 1e-5, 'loss with the head on masked positions only');
  const maskedCount = MLM_LABELS.flat().filter((l) => l !== -100).length;
  t.same(fast.predictionLogits.shape, [maskedCount, CONFIG.vocab_size], 'logits only for masked positions');
  fast.loss.backward();
  const error = gradError(model, r.pretraining.grads);
  t.ok(error < 1e-5, `gradients max difference ${error.toExponential(2)}`);
});

t.test('BertModel: last hidden state, pooler output and hidden states', { skip }, async (t) => {
  const r = reference();
  const model = await bert.BertModel.fromPretrained(join(root, 'base'));
  model.eval();
  const out = model.forward({ ...inputs(), outputHiddenStates: true });
  t.ok(maxAbsDiff(out.lastHiddenState.toArray() as Nested, r.base.last) < 1e-5, 'last hidden state');
  t.ok(maxAbsDiff(out.poolerOutput!.toArray() as Nested, r.base.pooled) < 1e-5, 'pooler output');
  t.equal(out.hiddenStates!.length, CONFIG.num_hidden_layers + 1);
  t.ok(maxAbsDiff(out.hiddenStates![1]!.toArray() as Nested, r.base.hidden1) < 1e-5, 'hidden state after layer 1');
  const eager = await bert.BertModel.fromPretrained(join(root, 'base'), { config: { attn_implementation: 'eager' } });
  eager.eval();
  const e = eager.forward({ ...inputs(), outputAttentions: true });
  t.ok(maxAbsDiff(e.lastHiddenState.toArray() as Nested, out.lastHiddenState.toArray() as Nested) < 1e-6, 'eager and sdpa paths agree');
  t.equal(e.attentions!.length, CONFIG.num_hidden_layers);
  const probs = e.attentions![0]!;
  t.same(probs.shape, [3, 4, 12, 12]);
  t.ok(maxAbsDiff(probs.sum(-1).toArray() as Nested, torch.ones([3, 4, 12]).toArray() as Nested) < 1e-6, 'attention rows sum to 1');
  t.ok((probs.select(0, 1).narrow(-1, 8, 4).abs().max().item() as number) === 0, 'padding keys get no attention');
});

t.test('BertForMaskedLM and BertForSequenceClassification match transformers', { skip }, async (t) => {
  const r = reference();
  const mlm = await bert.BertForMaskedLM.fromPretrained(join(root, 'mlm'));
  mlm.eval();
  const o = mlm.forward({ ...inputs(), labels: i64(MLM_LABELS), maskedPositionsOnly: false });
  t.ok(maxAbsDiff(o.logits.toArray() as Nested, r.mlm.logits) < 1e-5, 'MLM logits');
  t.ok(Math.abs((o.loss.item() as number) - r.mlm.loss) < 1e-5, 'MLM loss');
  o.loss.backward();
  t.ok(gradError(mlm, r.mlm.grads) < 1e-5, 'MLM gradients');
  const cls = await bert.BertForSequenceClassification.fromPretrained(join(root, 'cls'));
  cls.eval();
  t.equal(cls.config.numLabels, 3);
  const c = cls.forward({ ...inputs(), labels: i64(CLS_LABELS) });
  t.ok(maxAbsDiff(c.logits.toArray() as Nested, r.cls.logits) < 1e-5, 'classification logits');
  t.ok(Math.abs((c.loss.item() as number) - r.cls.loss) < 1e-5, 'classification loss');
  c.loss.backward();
  t.ok(gradError(cls, r.cls.grads) < 1e-5, 'classification gradients');
});

t.test('ten AdamW steps give the losses transformers gives', { skip }, async (t) => {
  const r = reference();
  const model = await bert.BertForPreTraining.fromPretrained(join(root, 'pretraining'));
  model.train();
  const opt = new optim.AdamW(model.parameters(), { lr: 1e-3 });
  const losses: number[] = [];
  for (let i = 0; i < 10; i++) {
    losses.push(
      torch.tidy(() => {
        const out = model.forward({ ...inputs(), labels: i64(MLM_LABELS), nextSentenceLabel: i64(NSP) });
        opt.zeroGrad();
        out.loss.backward();
        opt.step();
        return out.loss.item() as number;
      }),
    );
  }
  const worst = maxAbsDiff(losses, r.steps);
  t.ok(worst < 1e-4, `losses ${losses.map((l) => l.toFixed(4)).join(' ')}; max difference ${worst.toExponential(2)}`);
});

t.test('a folder saved here loads in transformers with no missing or unexpected keys and the same logits', { skip }, async (t) => {
  torch.manualSeed(8);
  const model = new bert.BertForPreTraining(new bert.BertConfig(CONFIG));
  model.eval();
  const dir = join(root, 'ours');
  await model.savePretrained(dir);
  const ours = model.forward(inputs());
  const theirs = runPython<{ missing: string[]; unexpected: string[]; mismatched: unknown[]; logits: Nested; arch: string[] }>(
    `import torch, json
from transformers import BertForPreTraining
m, info = BertForPreTraining.from_pretrained(inp['dir'], output_loading_info=True)
m.eval()
o = m(input_ids=torch.tensor(inp['ids']), attention_mask=torch.tensor(inp['mask']), token_type_ids=torch.tensor(inp['types']))
out({'missing': info['missing_keys'] and sorted(info['missing_keys']) or [], 'unexpected': sorted(info['unexpected_keys']), 'mismatched': list(info['mismatched_keys']),
     'logits': o.prediction_logits.tolist(), 'arch': json.load(open(inp['dir'] + '/config.json'))['architectures']})`,
    { dir, ids: IDS, mask: MASK, types: TYPES },
  );
  t.same([theirs.missing, theirs.unexpected, theirs.mismatched], [[], [], []], 'transformers loads every key');
  t.same(theirs.arch, ['BertForPreTraining']);
  t.ok(maxAbsDiff(ours.predictionLogits.toArray() as Nested, theirs.logits) < 1e-5, 'same logits in transformers');
});

t.test('loading a folder saved with another head reports what is new and what went unused', { skip }, async (t) => {
  reference();
  const cls = await bert.BertForSequenceClassification.fromPretrained(join(root, 'pretraining'), { config: { num_labels: 4 } });
  t.same(cls.loadReport!.missingKeys.sort(), ['classifier.bias', 'classifier.weight']);
  t.same(cls.loadReport!.unexpectedKeys.sort(), ['cls.predictions.LayerNorm.bias', 'cls.predictions.LayerNorm.weight', 'cls.predictions.bias', 'cls.predictions.dense.bias', 'cls.predictions.dense.weight', 'cls.seq_relationship.bias', 'cls.seq_relationship.weight'].map((k) => k.replace('predictions.LayerNorm', 'predictions.transform.LayerNorm').replace('predictions.dense', 'predictions.transform.dense')).sort());
  t.equal(cls.classifier.weight.shape[0], 4);
  const base = await bert.BertModel.fromPretrained(join(root, 'pretraining'));
  t.same(base.loadReport!.missingKeys, [], 'the bare encoder takes the bert.* weights');
  t.ok(base.loadReport!.unexpectedKeys.every((k) => k.startsWith('cls.')));
  const pre = await bert.BertForPreTraining.fromPretrained(join(root, 'base'));
  t.ok(pre.loadReport!.missingKeys.every((k) => k.startsWith('cls.')), 'heads new when loading a bare encoder');
  const bare = await bert.BertModel.fromPretrained(join(root, 'base'));
  t.same(pre.bert.encoder.layer.at(0).attention.self.query.weight.toArray(), bare.encoder.layer.at(0).attention.self.query.weight.toArray(), "the bare encoder's weights land under bert.");
});

t.test('initialisation as transformers does it', async (t) => {
  torch.manualSeed(0);
  const model = new bert.BertForPreTraining(new bert.BertConfig({ ...CONFIG, hidden_size: 64, num_attention_heads: 4, intermediate_size: 256, vocab_size: 500 }));
  const w = model.bert.embeddings.wordEmbeddings.weight;
  t.same(w.select(0, 0).abs().sum().item(), 0, 'padding row zero');
  t.ok(Math.abs((w.std().item() as number) - 0.02) < 0.001, 'normal(0, initializer_range)');
  t.same(model.bert.pooler!.dense.bias!.abs().sum().item(), 0, 'zero biases');
  t.same(model.cls.predictions.bias.abs().sum().item(), 0, 'zero MLM bias');
  t.same(model.bert.embeddings.layerNorm.weight!.mean().item(), 1, 'LayerNorm ones');
  t.equal(model.cls.predictions.decoder.weight, w, 'decoder tied to the word embeddings');
  t.equal(model.cls.predictions.decoder.bias, model.cls.predictions.bias, 'decoder bias tied to cls.predictions.bias');
  t.equal(model.parameters().length, Object.keys(model.stateDict()).length - 2, 'tied parameters counted once');
});

t.test('resizeTokenEmbeddings keeps old rows and the decoder tied', async (t) => {
  torch.manualSeed(1);
  const model = new bert.BertForMaskedLM(new bert.BertConfig(CONFIG));
  model.eval();
  const before = model.bert.embeddings.wordEmbeddings.weight.clone();
  model.resizeTokenEmbeddings(120);
  const after = model.bert.embeddings.wordEmbeddings.weight;
  t.same(after.shape, [120, 32]);
  t.same(after.narrow(0, 0, 99).toArray(), before.toArray(), 'old rows kept');
  t.equal(model.cls.predictions.decoder.weight, after, 'still tied');
  t.same(model.cls.predictions.bias.shape, [120]);
  t.equal(model.config.fields.vocab_size, 120);
  const out = model.forward({ inputIds: i64([[2, 110, 3]]) });
  t.same(out.logits.shape, [1, 3, 120]);
  model.resizeTokenEmbeddings(50);
  t.same(model.cls.predictions.bias.shape, [50]);
});

t.test('bad input and bad configs are clear errors', async (t) => {
  const model = new bert.BertModel(new bert.BertConfig(CONFIG));
  t.throws(() => model.forward({ inputIds: i64([[1, 99]]) }), /inputIds contains id 99, outside the vocabulary of 99/);
  t.throws(() => model.forward({ inputIds: i64([[1, -1]]) }), /inputIds contains id -1/);
  t.throws(() => model.forward({ inputIds: torch.zeros([1, 65], { dtype: 'int64' }) }), /sequence length 65 exceeds max_position_embeddings \(64\)/);
  t.throws(() => model.forward({ inputIds: i64([[1, 2]]), attentionMask: i64([[1, 1, 1]]) }), /attentionMask has shape \[1, 3\], inputIds \[1, 2\]/);
  t.throws(() => model.forward({ inputIds: i64([[1, 2]]), tokenTypeIds: i64([[0, 2]]) }), /tokenTypeIds contains 2, outside type_vocab_size \(2\)/);
  t.throws(() => model.forward({ inputIds: torch.tensor([[1, 2]]) }), /inputIds must be int64 or int32, got float32/);
  t.throws(() => model.forward({ inputIds: i64([1, 2]) }), /inputIds must have shape \(batch, length\)/);
  t.throws(() => new bert.BertConfig({ hidden_size: 30, num_attention_heads: 4 }), /hidden size \(30\) is not a multiple of the number of attention heads \(4\)/);
  t.throws(() => new bert.BertConfig({ hidden_act: 'frobnicate' as 'gelu' }), /hidden_act "frobnicate" is not supported/);
  t.throws(() => new bert.BertConfig({ tie_word_embeddings: 'no' as unknown as boolean }), /tie_word_embeddings must be true or false, got the string "no"/);
  t.throws(() => new bert.BertConfig({ position_embedding_type: 'relative_key' as 'absolute' }), /position_embedding_type "relative_key" is not supported/);
  t.throws(() => bert.BertConfig.fromJSON({ model_type: 'roberta' }), /model_type "roberta", not 'bert'/);
  t.throws(() => new bert.BertConfig({ problem_type: 'foo' as 'regression' }), /problem_type must be null or one of regression, single_label_classification, multi_label_classification, got "foo"/);
  t.throws(() => bert.BertConfig.fromJSON({ id2label: null }), /id2label must be an object of id → label name, got null/);
  t.throws(() => bert.BertConfig.fromJSON({ id2label: { 1: 'a', 2: 'b' } }), /id2label must number its labels 0 to n-1/);
  t.throws(() => new bert.BertForQuestionAnswering(new bert.BertConfig({ ...CONFIG, num_labels: 1 })), /BertForQuestionAnswering needs num_labels 2 \(start and end logits\), got 1/);
  t.throws(() => new bert.BertModel(new bert.BertConfig({ ...CONFIG, pad_token_id: 40 })).resizeTokenEmbeddings(40), /resizeTokenEmbeddings\(40\) would drop the padding token \(pad_token_id 40\)/);
  const mlm = new bert.BertForMaskedLM(new bert.BertConfig(CONFIG));
  t.throws(() => mlm.forward({ inputIds: i64([[1, 2]]), labels: i64([[1, 2, 3]]) }), /labels have shape \[1, 3\], the input \[1, 2\]/);
});

t.test('a config that contradicts the weights is a clear error', { skip }, async (t) => {
  reference();
  await t.rejects(
    bert.BertForPreTraining.fromPretrained(join(root, 'pretraining'), { config: { intermediate_size: 40 } }),
    /the weights do not fit the config[\s\S]*size mismatch for bert.encoder.layer.0.intermediate.dense.weight/,
  );
});

t.test('config round trip keeps unknown fields', async (t) => {
  const config = bert.BertConfig.fromJSON({ ...CONFIG, model_type: 'bert', transformers_version: '5.0', custom_thing: { a: 1 }, num_labels: 5 });
  t.equal(config.numLabels, 5);
  const json = config.toJSON();
  t.same([json.transformers_version, json.custom_thing, json.model_type, json.vocab_size], ['5.0', { a: 1 }, 'bert', 99]);
  t.notOk('attn_implementation' in json);
});


t.test('given labels, every head is typed (and shown) to return a loss; without, the loss is null', async (t) => {
  // The annotations are the test at compile time: tsc rejects this file if a head given its
  // labels is typed to return a nullable loss, or one given none a certain one.
  const config = new bert.BertConfig({ ...CONFIG, num_labels: 3 });
  const inputIds = torch.tensor(IDS, { dtype: 'int64' });
  const attentionMask = torch.tensor(MASK, { dtype: 'int64' });
  const labels = torch.tensor(MLM_LABELS, { dtype: 'int64' });
  const nextSentenceLabel = torch.tensor(NSP, { dtype: 'int64' });
  const classes = torch.tensor(CLS_LABELS, { dtype: 'int64' });

  const pretraining = new bert.BertForPreTraining(config);
  const full: torch.Tensor = pretraining.forward({ inputIds, attentionMask, labels, nextSentenceLabel }).loss;
  const mlmOnly: torch.Tensor = pretraining.forward({ inputIds, attentionMask, labels }).mlmLoss!;
  const sum = pretraining.forward({ inputIds, attentionMask, labels, nextSentenceLabel });
  t.ok(Math.abs((full.item() as number) - (sum.mlmLoss.item() as number) - (sum.nspLoss.item() as number)) < 1e-5, 'loss = MLM + NSP');
  // @ts-expect-error without nextSentenceLabel the pretraining loss is absent
  const partial: torch.Tensor = pretraining.forward({ inputIds, attentionMask, labels }).loss;
  t.equal(partial, null);
  t.ok((mlmOnly.item() as number) > 0);

  const masked: torch.Tensor = new bert.BertForMaskedLM(config).forward({ inputIds, labels }).loss;
  const classified: torch.Tensor = new bert.BertForSequenceClassification(config).forward({ inputIds, labels: classes }).loss;
  const tagged: torch.Tensor = new bert.BertForTokenClassification(config).forward({ inputIds, labels: torch.zeros(inputIds.shape, { dtype: 'int64' }) }).loss;
  const nsp: torch.Tensor = new bert.BertForNextSentencePrediction(config).forward({ inputIds, labels: nextSentenceLabel }).loss;
  const positions = torch.tensor([1, 2, 3], { dtype: 'int64' });
  const answered: torch.Tensor = new bert.BertForQuestionAnswering(new bert.BertConfig({ ...CONFIG, num_labels: 2 })).forward({ inputIds, startPositions: positions, endPositions: positions }).loss;
  for (const loss of [masked, classified, tagged, nsp, answered]) t.ok(Number.isFinite(loss.item() as number) && (loss.item() as number) > 0);

  // @ts-expect-error without labels a head's loss may be null
  const none: torch.Tensor = new bert.BertForSequenceClassification(config).forward({ inputIds }).loss;
  t.equal(none, null);
});

t.test('every hidden_act a BERT config may name computes what transformers\' ACT2FN computes', { skip }, async (t) => {
  const xs = [-6, -2.5, -1, -0.3, 0, 0.2, 0.9, 1.7, 3, 8];
  const names = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'quick_gelu', 'relu', 'silu', 'swish', 'tanh'] as const;
  const theirs = runPython<Record<string, number[]>>(
    `
import torch
from transformers.activations import ACT2FN
x = torch.tensor(inp['xs'], dtype=torch.float64)
out({n: ACT2FN[n](x).tolist() for n in inp['names']})
`,
    { xs, names },
  );
  for (const name of names) {
    t.doesNotThrow(() => new bert.BertConfig({ ...CONFIG, hidden_act: name }));
    const ours = activation(name)(torch.tensor(xs, { dtype: 'float64' })).toArray() as number[];
    t.ok(maxAbsDiff(ours, theirs[name]!) < 1e-10, `${name}: ${maxAbsDiff(ours, theirs[name]!).toExponential(1)}`);
  }
});

t.test('pad_token_id: null (accepted by transformers) means no padding row', async (t) => {
  const config = bert.BertConfig.fromJSON({ ...CONFIG, pad_token_id: null });
  t.equal(config.fields.pad_token_id, null);
  const model = new bert.BertModel(config);
  t.equal(model.embeddings.wordEmbeddings.paddingIdx, null);
  t.ok((model.embeddings.wordEmbeddings.weight.select(0, 0).abs().sum().item() as number) > 0, 'row 0 is initialised like any other');
  t.equal(config.toJSON().pad_token_id, null, 'and is written back as null');
  t.throws(() => new bert.BertConfig({ ...CONFIG, pad_token_id: 99 }), /pad_token_id 99 is outside the vocabulary of 99/);
});
