// DeBERTa-v2/v3 beyond the parity harness: the log buckets bit for bit against transformers,
// the classification losses transformers computes when problem_type is unset, the config
// (round trip, normalisation, refusals naming the field), input checks, vocabulary resizing
// and the parameter count.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { models, torch } from '../../lib/index.js';
import * as deberta from '../../lib/models/deberta_v2/index.js';
import '../../lib/models/deberta_v2/family.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
const root = mkdtempSync(join(tmpdir(), 'plm-deberta-'));
const i64 = (v: number[] | number[][]) => torch.tensor(v, { dtype: 'int64' });

const SMALL = { vocab_size: 61, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64 };
const V3 = { ...SMALL, ...deberta.V3_ATTENTION, position_buckets: 16 };

t.test('log-bucketed relative positions equal transformers\' for every distance', { skip }, async (t) => {
  const cases: [number, number, number][] = [
    [256, 512, 1100],
    [16, 64, 200],
    [6, 40, 90],
    [7, 13, 40],
    [2, 5, 12],
  ];
  const theirs = runPython<number[][][]>(
    `import torch
from transformers.models.deberta_v2.modeling_deberta_v2 import build_relative_position
q = lambda n: torch.zeros(1, n, 1)
out([build_relative_position(q(n), q(n), bucket_size=b, max_position=m)[0].tolist() for b, m, n in inp])`,
    cases,
  );
  cases.forEach(([buckets, max, length], k) => {
    const ours = deberta.buildRelativePosition(length, length, buckets, max);
    t.same(ours.shape, [1, length, length]);
    t.equal(ours.dtype, 'int64');
    t.equal(maxAbsDiff(ours.select(0, 0).toArray() as number[][], theirs[k]!), 0, `buckets ${buckets}, span ${max}, ${length} tokens: identical`);
  });
  t.same(deberta.buildRelativePosition(3, 3).toArray(), [[[0, -1, -2], [1, 0, -1], [2, 1, 0]]], 'unbucketed: query − key');
});

t.test('sequence classification losses as transformers computes them with problem_type unset', { skip }, async (t) => {
  const config = { ...V3, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
  const ids = [[1, 5, 9, 2, 0], [1, 7, 8, 11, 2], [1, 3, 2, 0, 0]];
  const mask = ids.map((row) => row.map((id, c) => (c === 0 || id !== 0 ? 1 : 0)));
  const cases = [
    { name: 'one label: regression on the flattened logits', numLabels: 1, labels: [0.5, -1.25, 2] },
    { name: 'negative labels are left out', numLabels: 3, labels: [2, -1, 0] },
    { name: 'no label at all gives 0', numLabels: 3, labels: [-1, -1, -1] },
    { name: 'soft labels: a row of weights per sequence', numLabels: 3, labels: [[0.2, 0.8, 0], [1, 0, 0], [0.1, 0.1, 0.8]] },
  ];
  const theirs = runPython<{ loss: number; logits: number[] | number[][] }[]>(
    `import torch, transformers
res = []
for k, case in enumerate(inp['cases']):
    torch.manual_seed(k)
    m = transformers.DebertaV2ForSequenceClassification(transformers.DebertaV2Config(**inp['config'], num_labels=case['numLabels'])).eval()
    m.save_pretrained(inp['dir'] + '/cls%d' % k)
    labels = torch.tensor(case['labels'])
    o = m(input_ids=torch.tensor(inp['ids']), attention_mask=torch.tensor(inp['mask']), labels=labels)
    res.append({'loss': o.loss.item(), 'logits': o.logits.tolist()})
out(res)`,
    { cases, config, ids, mask, dir: root },
  );
  for (const [k, c] of cases.entries()) {
    const model = await deberta.DebertaV2ForSequenceClassification.fromPretrained(join(root, `cls${k}`));
    model.eval();
    const labels = torch.tensor(c.labels, { dtype: Number.isInteger(c.labels[0]) ? 'int64' : 'float32' });
    const out = model.forward({ inputIds: i64(ids), attentionMask: i64(mask), labels });
    t.ok(Math.abs((out.loss.item() as number) - theirs[k]!.loss) < 1e-6, `${c.name}: loss ${(out.loss.item() as number).toFixed(6)} vs ${theirs[k]!.loss.toFixed(6)}`);
    t.ok(maxAbsDiff(out.logits.toArray() as number[], theirs[k]!.logits) < 1e-6, `${c.name}: logits of the same shape and values`);
    t.equal(model.config.fields.problem_type, null, 'problem_type is not remembered, as in transformers');
  }
});

t.test('config: transformers\' defaults, normalisation and a round trip that keeps unknown keys', async (t) => {
  const defaults = new deberta.DebertaV2Config();
  t.same(
    [defaults.fields.vocab_size, defaults.fields.hidden_size, defaults.fields.num_hidden_layers, defaults.fields.layer_norm_eps, defaults.fields.type_vocab_size, defaults.fields.relative_attention, defaults.fields.position_biased_input, defaults.fields.legacy],
    [128100, 1536, 24, 1e-7, 0, false, true, true],
  );
  const config = deberta.DebertaV2Config.fromJSON({ ...SMALL, model_type: 'deberta-v2', pos_att_type: 'P2C|c2p', relative_attention: true, transformers_version: '5.18.0', z_steps: 0, custom: { a: 1 }, num_labels: 4 });
  t.same(config.fields.pos_att_type, ['p2c', 'c2p'], '"p2c|c2p" read as transformers reads it');
  t.equal(config.numLabels, 4);
  const json = config.toJSON();
  t.same([json.transformers_version, json.z_steps, json.custom, json.model_type, json.pos_att_type], ['5.18.0', 0, { a: 1 }, 'deberta-v2', ['p2c', 'c2p']]);
  t.notOk('embedding_size' in json, 'an unset embedding_size is not written (transformers would read null as a width)');
  t.notOk('pooler_hidden_size' in json);
  t.notOk('attn_implementation' in json);
  const again = deberta.DebertaV2Config.fromJSON(json);
  t.same(again.toJSON(), json, 'fromJSON(toJSON()) is the same config');
  t.same(again.extra, config.extra);
  t.ok(models.AutoConfig.forModel('deberta-v2', SMALL) instanceof deberta.DebertaV2Config, 'the Auto classes know model_type deberta-v2');
  t.equal(models.familyOf('deberta-v2').nextSentencePrediction, false);
  t.equal(models.familyOf('deberta-v2').models.preTraining, undefined, 'no pretraining class');
});

t.test('a bad config field is refused with a message naming it', async (t) => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ position_buckets: 1.5 }, /DebertaV2Config: position_buckets must be an integer/],
    [{ relative_attention: true, position_buckets: 1 }, /DebertaV2Config: position_buckets 1 needs at least 2 buckets/],
    [{ relative_attention: true, position_buckets: 200, max_position_embeddings: 64 }, /position_buckets 200 needs .* relative span .*64/],
    [{ pos_att_type: ['p2p'] }, /DebertaV2Config: pos_att_type must be null or a list of 'c2p' and 'p2c'/],
    [{ norm_rel_ebd: 'batch_norm' }, /DebertaV2Config: norm_rel_ebd must be 'none' or 'layer_norm'/],
    [{ conv_kernel_size: 2 }, /DebertaV2Config: conv_kernel_size must be odd/],
    [{ conv_kernel_size: 3, conv_groups: 5 }, /conv_groups \(5\) must divide hidden_size \(24\)/],
    [{ hidden_act: 'frobnicate' }, /DebertaV2Config: hidden_act "frobnicate" is not supported/],
    [{ pooler_hidden_act: 'nope' }, /pooler_hidden_act "nope" is not supported/],
    [{ share_att_key: 'yes' }, /DebertaV2Config: share_att_key must be true or false, got the string "yes"/],
    [{ layer_norm_eps: 0 }, /DebertaV2Config: layer_norm_eps must be a number/],
    [{ type_vocab_size: -1 }, /DebertaV2Config: type_vocab_size must be an integer in \[0, 1024\]/],
    [{ pooler_hidden_size: 12 }, /DebertaV2Config: pooler_hidden_size \(12\) must equal hidden_size \(24\)/],
    [{ hidden_size: 25 }, /hidden size \(25\) is not a multiple of the number of attention heads \(3\)/],
    [{ max_relative_positions: '512' }, /DebertaV2Config: max_relative_positions must be an integer .* got the string "512"/],
  ];
  for (const [fields, message] of bad) t.throws(() => new deberta.DebertaV2Config({ ...SMALL, ...fields } as never), message, JSON.stringify(fields));
  t.throws(() => deberta.DebertaV2Config.fromJSON({ ...SMALL, attention_head_size: 4 }), /attention_head_size 4 is not supported \(only hidden_size \/ num_attention_heads, 8\)/);
  t.throws(() => deberta.DebertaV2Config.fromJSON({ model_type: 'deberta' }), /model_type "deberta", not 'deberta-v2'/);
  t.throws(() => new deberta.DebertaV2ForMaskedLM(new deberta.DebertaV2Config({ ...SMALL, legacy: false })), /DebertaV2ForMaskedLM: legacy false .* is not supported/);
  t.throws(() => new deberta.DebertaV2ForMaskedLM(new deberta.DebertaV2Config({ ...SMALL, embedding_size: 16 })), /DebertaV2ForMaskedLM: embedding_size 16 different from hidden_size 24 is not supported/);
  t.throws(() => new deberta.DebertaV2ForQuestionAnswering(new deberta.DebertaV2Config({ ...SMALL, num_labels: 3 })), /needs num_labels 2/);
  t.throws(() => new deberta.DisentangledSelfAttention({} as never), /new DisentangledSelfAttention\(\): config must be a DebertaV2Config/);
});

t.test('inputs: clear errors, and what DeBERTa allows that BERT does not', async (t) => {
  torch.manualSeed(0);
  const v3 = new deberta.DebertaV2Model(new deberta.DebertaV2Config(V3));
  v3.eval();
  t.throws(() => v3.forward({ inputIds: i64([[1, 61]]) }), /inputIds contains id 61, outside the vocabulary of 61/);
  t.throws(() => v3.forward({ inputIds: torch.tensor([[1, 2]]) }), /inputIds must be int64 or int32, got float32/);
  t.throws(() => v3.forward({ inputIds: i64([1, 2]) }), /inputIds must have shape \(batch, length\)/);
  t.throws(() => v3.forward({ inputIds: i64([[1, 2]]), attentionMask: i64([[1, 1, 1]]) }), /attentionMask has shape \[1, 3\], inputIds \[1, 2\]/);
  const long = torch.randint(3, 60, [2, 100], { dtype: 'int64' });
  t.same(v3.forward({ inputIds: long }).lastHiddenState.shape, [2, 100, 24], 'relative positions only: longer than max_position_embeddings is fine');
  const ids = i64([[1, 5, 6, 2]]);
  const plain = v3.forward({ inputIds: ids }).lastHiddenState;
  const typed = v3.forward({ inputIds: ids, tokenTypeIds: i64([[0, 0, 1, 1]]) }).lastHiddenState;
  t.equal(plain.sub(typed).abs().max().item(), 0, 'token types are ignored when type_vocab_size is 0');
  const out = v3.forward({ inputIds: ids, outputHiddenStates: true, outputAttentions: true });
  t.equal(out.poolerOutput, null, 'no pooler');
  t.equal(out.hiddenStates!.length, 3, 'the embeddings and each layer');
  t.same(out.attentions!.map((a) => a.shape), [[1, 3, 4, 4], [1, 3, 4, 4]]);
  const absolute = new deberta.DebertaV2Model(new deberta.DebertaV2Config({ ...SMALL, type_vocab_size: 2 }));
  t.throws(() => absolute.forward({ inputIds: torch.zeros([1, 65], { dtype: 'int64' }) }), /sequence length 65 exceeds max_position_embeddings \(64\)/);
  t.throws(() => absolute.forward({ inputIds: i64([[1, 2]]), tokenTypeIds: i64([[0, 2]]) }), /tokenTypeIds contains 2, outside type_vocab_size \(2\)/);
  const mlm = new deberta.DebertaV2ForMaskedLM(new deberta.DebertaV2Config(V3));
  t.throws(() => mlm.forward({ inputIds: i64([[1, 2]]), labels: i64([[1, 2, 3]]) }), /labels have shape \[1, 3\], the input \[1, 2\]/);
  const masked = mlm.forward({ inputIds: i64([[1, 5, 6, 2]]), labels: i64([[-100, 5, -100, -100]]) });
  t.same(masked.logits.shape, [1, 61], 'with labels, the head runs on the masked positions only');
});

t.test('resizeTokenEmbeddings keeps old rows and the decoder tied (or resizes its own)', async (t) => {
  torch.manualSeed(1);
  const model = new deberta.DebertaV2ForMaskedLM(new deberta.DebertaV2Config(V3));
  const before = model.deberta.embeddings.wordEmbeddings.weight.clone();
  model.resizeTokenEmbeddings(80);
  const after = model.deberta.embeddings.wordEmbeddings.weight;
  t.same(after.shape, [80, 24]);
  t.same(after.narrow(0, 0, 61).toArray(), before.toArray(), 'old rows kept');
  t.equal(model.cls.predictions.decoder.weight, after, 'still tied');
  t.equal(model.cls.predictions.decoder.bias, model.cls.predictions.bias, 'the decoder bias is cls.predictions.bias');
  t.same(model.cls.predictions.bias.shape, [80]);
  t.equal(model.config.fields.vocab_size, 80);
  t.same(model.forward({ inputIds: i64([[1, 75, 2]]) }).logits.shape, [1, 3, 80]);
  const dir = join(root, 'resized');
  await model.savePretrained(dir);
  const again = await models.AutoModelForMaskedLM.fromPretrained(dir);
  t.same(again.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} }, 'the resized model saves and loads');
  const untied = new deberta.DebertaV2ForMaskedLM(new deberta.DebertaV2Config({ ...V3, tie_word_embeddings: false }));
  const decoderBefore = untied.cls.predictions.decoder.weight.clone();
  untied.resizeTokenEmbeddings(70);
  t.same(untied.cls.predictions.decoder.weight.shape, [70, 24]);
  t.same(untied.cls.predictions.decoder.weight.narrow(0, 0, 61).toArray(), decoderBefore.toArray(), 'an own decoder keeps its rows');
  t.not(untied.cls.predictions.decoder.weight, untied.deberta.embeddings.wordEmbeddings.weight, 'and stays untied');
});

t.test('parameterCount is the parameters of the largest model the config builds', async (t) => {
  const configs: [string, Record<string, unknown>][] = [
    ['DeBERTa-v3', V3],
    ['separate position projections', { ...V3, share_att_key: false, position_buckets: -1 }],
    ['c2p only', { ...V3, share_att_key: false, pos_att_type: ['c2p'] }],
    ['DeBERTa-v2 with the convolution and token types', { ...SMALL, relative_attention: true, conv_kernel_size: 3, conv_groups: 3, type_vocab_size: 2, norm_rel_ebd: 'layer_norm' }],
    ['absolute positions only', SMALL],
    ['an untied decoder', { ...V3, tie_word_embeddings: false }],
  ];
  for (const [name, fields] of configs) {
    const config = new deberta.DebertaV2Config(fields as never);
    t.equal(config.parameterCount, new deberta.DebertaV2ForMaskedLM(config).numParameters(), `${name}: the MLM model`);
  }
  const manyLabels = new deberta.DebertaV2Config({ ...V3, num_labels: 500 });
  t.equal(manyLabels.parameterCount, new deberta.DebertaV2ForSequenceClassification(manyLabels).numParameters(), 'with 500 labels the classifier is the largest');
  const projected = new deberta.DebertaV2Config({ ...V3, embedding_size: 16, num_labels: 500 });
  t.equal(projected.parameterCount, new deberta.DebertaV2ForSequenceClassification(projected).numParameters(), 'embedding_size with embed_proj');
  // deberta-v3-base: 86M backbone parameters plus 98M of embeddings, as published (184M).
  const base = new deberta.DebertaV2Config(deberta.PRESETS.base!);
  t.ok(Math.abs(base.parameterCount - 184e6) < 1e6, `deberta-v3-base: ${(base.parameterCount / 1e6).toFixed(1)}M`);
});

t.test('a DeBERTa-v3 checkpoint\'s lm_predictions head loads into cls.predictions and gives transformers\' logits', { skip }, async (t) => {
  const dir = join(root, 'v3-lm-predictions');
  const ids = [[2, 17, 9, 40, 3], [2, 8, 33, 3, 0]];
  const mask = [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]];
  // transformers builds this head with legacy false; Microsoft's checkpoints hold it under a
  // config without `legacy` (which then means true), as written here.
  const theirs = runPython<number[][][]>(
    `import torch, json, os
from transformers import DebertaV2Config, DebertaV2ForMaskedLM
from safetensors.torch import save_file
torch.manual_seed(0)
c = DebertaV2Config(**inp['config'], legacy=False)
m = DebertaV2ForMaskedLM(c).eval()
with torch.no_grad():
    for p in m.lm_predictions.parameters(): p.normal_(0, 0.5)
    logits = m(input_ids=torch.tensor(inp['ids']), attention_mask=torch.tensor(inp['mask'])).logits
os.makedirs(inp['dir'], exist_ok=True)
sd = {k: v.contiguous() for k, v in m.state_dict().items() if k != 'lm_predictions.lm_head.weight'}
save_file(sd, os.path.join(inp['dir'], 'model.safetensors'))
fields = c.to_dict(); fields.pop('legacy', None); fields['architectures'] = ['DebertaV2ForMaskedLM']
json.dump(fields, open(os.path.join(inp['dir'], 'config.json'), 'w'))
out(logits.tolist())`,
    { config: V3, ids, mask, dir },
  );
  const model = await models.AutoModelForMaskedLM.fromPretrained(dir);
  t.ok(model instanceof deberta.DebertaV2ForMaskedLM);
  t.same(model.loadReport!.missingKeys, [], 'the trained head fills cls.predictions: nothing initialised fresh');
  t.same(model.loadReport!.unexpectedKeys, []);
  const ours = model.eval().forward({ inputIds: i64(ids), attentionMask: i64(mask) }).logits;
  const diff = maxAbsDiff(ours.toArray() as number[][][], theirs);
  t.ok(diff < 1e-5, `logits within 1e-5 (max ${diff})`);
});
