// Loading, saving and resizing BERT folders as transformers does: untied decoders, folders
// holding both tied tensors, the checkpoint's own dtype, mean resizing of new vocabulary rows.
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, io, torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
const root = mkdtempSync(join(tmpdir(), 'plm-bert-pretrained-'));
const CONFIG = {
  vocab_size: 99, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 37,
  max_position_embeddings: 64, type_vocab_size: 2, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0,
};
const IDS = [[2, 15, 27, 33, 41, 9, 3], [2, 88, 7, 19, 3, 23, 42]];
const ids = () => torch.tensor(IDS, { dtype: 'int64' });
type Nested = number[][][];

t.test('an untied decoder (tie_word_embeddings: false) loads, computes and saves as transformers', { skip }, async (t) => {
  const r = runPython<{ logits: Nested; reloaded: Nested; keys: string[] }>(
    `
import torch
from transformers import BertConfig, BertForMaskedLM
torch.manual_seed(0)
m = BertForMaskedLM(BertConfig(**inp['config'], tie_word_embeddings=False)).eval()
with torch.no_grad():
    m.cls.predictions.decoder.weight.normal_(0, 0.5)
    m.cls.predictions.decoder.bias.normal_(0, 0.5)  # untied, the decoder's own bias is the one used
m.save_pretrained(inp['dir'] + '/untied')
ids = torch.tensor(inp['ids'])
res = {'logits': m(input_ids=ids).logits.tolist()}
out(res)
`,
    { config: CONFIG, ids: IDS, dir: root },
  );
  const model = await bert.BertForMaskedLM.fromPretrained(join(root, 'untied'));
  t.equal(model.config.fields.tie_word_embeddings, false);
  t.not(model.cls.predictions.decoder.weight, model.bert.embeddings.wordEmbeddings.weight, 'the decoder has its own weight');
  t.same(model.loadReport!.missingKeys, []);
  t.same(model.loadReport!.unexpectedKeys, []);
  model.eval();
  t.ok(maxAbsDiff(model.forward({ inputIds: ids() }).logits.toArray() as Nested, r.logits) < 1e-5, 'logits as transformers');

  await model.savePretrained(join(root, 'untied-again'));
  const saved = io.loadSafetensors(join(root, 'untied-again/model.safetensors'));
  t.ok('cls.predictions.decoder.weight' in saved, 'the untied decoder is written');
  const back = runPython<{ logits: Nested; missing: string[] }>(
    `
import torch
from transformers import BertForMaskedLM
m, info = BertForMaskedLM.from_pretrained(inp['dir'], output_loading_info=True)
out({'logits': m.eval()(input_ids=torch.tensor(inp['ids'])).logits.tolist(), 'missing': sorted(info['missing_keys'])})
`,
    { dir: join(root, 'untied-again'), ids: IDS },
  );
  t.same(back.missing, []);
  t.ok(maxAbsDiff(back.logits, r.logits) < 1e-5, 'transformers reads it back with the same logits');

  torch.manualSeed(3);
  model.resizeTokenEmbeddings(110);
  t.same(model.cls.predictions.decoder.weight.shape, [110, 32], 'an untied decoder follows a resize');
  t.same(model.bert.embeddings.wordEmbeddings.weight.shape, [110, 32]);
  t.same(model.forward({ inputIds: ids() }).logits.shape, [2, 7, 110]);
  t.same(model.cls.predictions.decoder.bias!.shape, [110]);
});

t.test('a tied model reading a folder that holds both tensors keeps the embeddings, as transformers', async (t) => {
  torch.manualSeed(1);
  const source = new bert.BertForMaskedLM(new bert.BertConfig(CONFIG));
  await source.savePretrained(join(root, 'both'));
  // Add a decoder weight that differs from the embeddings, as some older exports carry.
  const tensors = io.loadSafetensors(join(root, 'both/model.safetensors'));
  const embeddings = tensors['bert.embeddings.word_embeddings.weight']!;
  tensors['cls.predictions.decoder.weight'] = embeddings.mul(-3);
  io.saveSafetensors(join(root, 'both/model.safetensors'), tensors);

  const model = await bert.BertForMaskedLM.fromPretrained(join(root, 'both'));
  const loaded = model.bert.embeddings.wordEmbeddings.weight;
  t.equal(maxAbsDiff(loaded.toArray() as number[][], embeddings.toArray() as number[][]), 0, 'the embeddings are the file\'s embeddings');
  t.equal(model.cls.predictions.decoder.weight, loaded, 'and the decoder is tied to them');
  t.same(model.loadReport!.unexpectedKeys, []);
});

t.test('fromPretrained keeps the checkpoint\'s dtype unless told; savePretrained records the dtype it writes', async (t) => {
  torch.manualSeed(2);
  const source = new bert.BertForSequenceClassification(new bert.BertConfig({ ...CONFIG, num_labels: 3 }));
  source.to({ dtype: 'bfloat16' });
  await source.savePretrained(join(root, 'bf16'));
  const config = JSON.parse(readFileSync(join(root, 'bf16/config.json'), 'utf8')) as { dtype: string };
  t.equal(config.dtype, 'bfloat16');
  t.equal(io.loadSafetensors(join(root, 'bf16/model.safetensors'))['classifier.weight']!.dtype, 'bfloat16');

  const auto = await bert.BertForSequenceClassification.fromPretrained(join(root, 'bf16'));
  t.same([...new Set(auto.parameters().map((p) => p.dtype))], ['bfloat16'], 'a bfloat16 folder gives a bfloat16 model');
  const full = await bert.BertForSequenceClassification.fromPretrained(join(root, 'bf16'), { dtype: 'float32' });
  t.same([...new Set(full.parameters().map((p) => p.dtype))], ['float32'], 'dtype: float32 upcasts');
  t.equal(maxAbsDiff(full.classifier.weight.toArray() as number[][], auto.classifier.weight.float().toArray() as number[][]), 0, 'exactly');

  await full.savePretrained(join(root, 'f32'));
  t.equal((JSON.parse(readFileSync(join(root, 'f32/config.json'), 'utf8')) as { dtype: string }).dtype, 'float32', 'the stale bfloat16 is replaced');
});

t.test('resizeTokenEmbeddings starts new rows at the mean of the old ones (transformers 5), or as noise when asked', async (t) => {
  const rowMean = (rows: number[][]) => rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  torch.manualSeed(4);
  const model = new bert.BertForMaskedLM(new bert.BertConfig(CONFIG));
  const old = model.bert.embeddings.wordEmbeddings.weight.toArray() as number[][];
  const mean = rowMean(old);
  model.resizeTokenEmbeddings(105);
  const grown = model.bert.embeddings.wordEmbeddings.weight.toArray() as number[][];
  t.same(grown.slice(0, 99), old, 'old rows kept');
  // Samples of N(mean, 1e-9 · covariance): within a few 1e-5 · 0.02 of the mean.
  const spread = Math.max(...grown.slice(99).map((row) => maxAbsDiff(row, mean)));
  t.ok(spread < 1e-5 && spread > 0, `new rows at the mean (largest difference ${spread.toExponential(2)}), not all identical`);
  t.equal(model.cls.predictions.decoder.weight, model.bert.embeddings.wordEmbeddings.weight, 'still tied');
  t.same((model.cls.predictions.bias.toArray() as number[]).slice(99), [0, 0, 0, 0, 0, 0], 'new MLM bias entries are zero');

  // Fewer rows than dimensions: the covariance is singular, so every new row is the mean itself.
  const few = new bert.BertForMaskedLM(new bert.BertConfig({ ...CONFIG, vocab_size: 10 }));
  const fewMean = rowMean(few.bert.embeddings.wordEmbeddings.weight.toArray() as number[][]);
  few.resizeTokenEmbeddings(12);
  const added = (few.bert.embeddings.wordEmbeddings.weight.toArray() as number[][]).slice(10);
  t.ok(Math.max(...added.map((row) => maxAbsDiff(row, fewMean))) < 1e-7, 'singular covariance: exactly the mean');

  const noisy = new bert.BertForMaskedLM(new bert.BertConfig(CONFIG));
  noisy.resizeTokenEmbeddings(1099, { meanResizing: false });
  const fresh = noisy.bert.embeddings.wordEmbeddings.weight.narrow(0, 99, 1000);
  t.ok(Math.abs((fresh.std().item() as number) - 0.02) < 0.001, 'meanResizing: false draws N(0, initializer_range)');
});

t.test('new rows match transformers\' resize_token_embeddings (mean resizing) to within its 1e-9 noise', { skip }, async (t) => {
  torch.manualSeed(5);
  const model = new bert.BertForMaskedLM(new bert.BertConfig(CONFIG));
  await model.savePretrained(join(root, 'to-resize'));
  const r = runPython<{ added: number[][] }>(
    `
from transformers import BertForMaskedLM
m = BertForMaskedLM.from_pretrained(inp['dir'])
m.resize_token_embeddings(104)
out({'added': m.bert.embeddings.word_embeddings.weight[99:].tolist()})
`,
    { dir: join(root, 'to-resize') },
  );
  model.resizeTokenEmbeddings(104);
  const ours = model.bert.embeddings.wordEmbeddings.weight.narrow(0, 99, 5).toArray() as number[][];
  t.ok(maxAbsDiff(ours, r.added) < 2e-5, `largest difference ${maxAbsDiff(ours, r.added).toExponential(2)}`);
});

t.test('a folder whose tensors are not BERT\'s is an error, not a randomly initialised model', async (t) => {
  const folder = join(root, 'not-bert');
  io.saveCheckpoint(folder, { 'model.layer.0.weight': torch.zeros([2, 2]), 'epoch': torch.tensor([3]) }, { ...CONFIG, model_type: 'bert' });
  await t.rejects(bert.BertForMaskedLM.fromPretrained(folder), /not-bert: none of the encoder's weights \(bert\.encoder\.layer\.0\.[a-z_.]+, …\) are in the folder, which holds 2 tensor\(s\) such as (epoch, model\.layer\.0\.weight|model\.layer\.0\.weight, epoch): not a BERT checkpoint/);
});

t.test('an untied folder from transformers 4 (bias saved only as cls.predictions.bias) loads that bias into the decoder', async (t) => {
  torch.manualSeed(6);
  const source = new bert.BertForMaskedLM(new bert.BertConfig({ ...CONFIG, tie_word_embeddings: false }));
  await source.savePretrained(join(root, 'untied-v4'));
  const file = join(root, 'untied-v4/model.safetensors');
  const tensors = io.loadSafetensors(file);
  const bias = torch.randn([CONFIG.vocab_size]);
  delete tensors['cls.predictions.decoder.bias'];
  tensors['cls.predictions.bias'] = bias;
  io.saveSafetensors(file, tensors);
  const model = await bert.BertForMaskedLM.fromPretrained(join(root, 'untied-v4'));
  t.same(model.cls.predictions.decoder.bias!.toArray(), bias.toArray());
  t.same(model.loadReport!.missingKeys, []);
});
