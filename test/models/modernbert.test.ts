// ModernBERT beyond the parity harness: the config (transformers 5 and transformers 4 fields,
// round trips, messages), parameter counts, initialisation, vocabulary resizing, input checks,
// attention probabilities and hidden states against transformers' eager attention, and a
// folder in transformers 4's config format.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { models, torch } from '../../lib/index.js';
import '../../lib/models/modernbert/family.js';
import * as modernbert from '../../lib/models/modernbert/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch', 'transformers');
const root = mkdtempSync(join(tmpdir(), 'plm-modernbert-'));
const { ModernBertConfig } = modernbert;

const CONFIG = {
  vocab_size: 61, hidden_size: 30, num_hidden_layers: 4, num_attention_heads: 3, intermediate_size: 29, max_position_embeddings: 64,
  pad_token_id: 0, bos_token_id: 2, eos_token_id: 3, cls_token_id: 2, sep_token_id: 3, local_attention: 4, global_attn_every_n_layers: 3,
};
const IDS = [
  [2, 15, 27, 33, 41, 9, 3, 0, 0, 0, 0],
  [2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 3],
];
const MASK = IDS.map((row) => row.map((id, i) => (i === 0 || id !== 0 ? 1 : 0)));
const i64 = (v: number[] | number[][]) => torch.tensor(v, { dtype: 'int64' });
type Nested = number[][][][] | number[][][] | number[][];

t.test('config: transformers 4 fields (global_attn_every_n_layers, global/local_rope_theta) and transformers 5 fields (layer_types, rope_parameters)', async (t) => {
  const legacy = ModernBertConfig.fromJSON({ ...CONFIG, global_attn_every_n_layers: 2, global_rope_theta: 500, local_rope_theta: 20, reference_compile: true });
  t.same(legacy.layerTypes, ['full_attention', 'sliding_attention', 'full_attention', 'sliding_attention']);
  t.same([legacy.ropeTheta('full_attention'), legacy.ropeTheta('sliding_attention'), legacy.slidingWindow], [500, 20, 2]);
  const json = legacy.toJSON();
  t.same(json.layer_types, legacy.layerTypes, 'layer_types written');
  t.same(json.rope_parameters, { full_attention: { rope_type: 'default', rope_theta: 500 }, sliding_attention: { rope_type: 'default', rope_theta: 20 } }, 'rope_parameters written');
  t.same([json.global_attn_every_n_layers, json.global_rope_theta, json.local_rope_theta], [2, 500, 20], 'and transformers 4 fields, consistent with them');
  t.notOk('reference_compile' in json, 'reference_compile is not written (as transformers 5)');
  t.notOk('attn_implementation' in json);

  const custom = ModernBertConfig.fromJSON({
    ...CONFIG, num_hidden_layers: 3, layer_types: ['sliding_attention', 'full_attention', 'full_attention'], global_rope_theta: 1,
    rope_parameters: { full_attention: { rope_type: 'default', rope_theta: 700 }, sliding_attention: { rope_type: 'default', rope_theta: 30 } },
  });
  t.same(custom.layerTypes, ['sliding_attention', 'full_attention', 'full_attention'], 'layer_types wins over global_attn_every_n_layers');
  t.equal(custom.ropeTheta('full_attention'), 700, 'rope_parameters wins over global_rope_theta');
  t.notOk('global_attn_every_n_layers' in custom.toJSON(), 'a pattern no period describes is layer_types alone');
  const again = ModernBertConfig.fromJSON(custom.toJSON());
  t.same([again.layerTypes, again.ropeTheta('full_attention'), again.ropeTheta('sliding_attention')], [custom.layerTypes, 700, 30], 'round trip');

  const kept = ModernBertConfig.fromJSON({ ...CONFIG, model_type: 'modernbert', transformers_version: '5.18.0', custom_thing: { a: 1 }, num_labels: 5 });
  t.equal(kept.numLabels, 5);
  const keptJson = kept.toJSON();
  t.same([keptJson.transformers_version, keptJson.custom_thing, keptJson.model_type, keptJson.vocab_size], ['5.18.0', { a: 1 }, 'modernbert', 61], 'unknown keys kept');
  const defaults = new ModernBertConfig();
  t.same(
    [defaults.fields.vocab_size, defaults.fields.hidden_size, defaults.fields.intermediate_size, defaults.fields.num_hidden_layers, defaults.fields.pad_token_id, defaults.ropeTheta('full_attention'), defaults.ropeTheta('sliding_attention'), defaults.fields.local_attention],
    [50368, 768, 1152, 22, 50283, 160000, 10000, 128],
    'ModernBERT-base defaults',
  );
});

t.test('transformers reads the config.json we write, and we read the one it writes, alike', { skip }, async (t) => {
  const config = ModernBertConfig.fromJSON({ ...CONFIG, global_attn_every_n_layers: 2, global_rope_theta: 500, local_rope_theta: 20, initializer_range: 1 });
  const dir = join(root, 'config-only');
  await new modernbert.ModernBertModel(config).savePretrained(dir);
  const ours = config.toJSON();
  const theirs = runPython<{ read: Record<string, unknown>; written: Record<string, unknown> }>(
    `import transformers
c = transformers.AutoConfig.from_pretrained(inp['dir'])
legacy = transformers.ModernBertConfig(**inp['legacy'])
out({'read': {'layer_types': c.layer_types, 'rope_parameters': c.rope_parameters, 'sliding_window': c.sliding_window, 'floats': [type(getattr(c, k)).__name__ for k in ('initializer_range', 'initializer_cutoff_factor', 'norm_eps')]}, 'written': legacy.to_dict()})`,
    { dir, legacy: { ...CONFIG, global_attn_every_n_layers: 2, global_rope_theta: 500, local_rope_theta: 20 } },
  );
  t.same(theirs.read.floats, ['float', 'float', 'float'], 'float fields written as floats (transformers 5 refuses 2 for 2.0)');
  t.same(theirs.read.layer_types, ours.layer_types);
  t.same(theirs.read.rope_parameters, ours.rope_parameters);
  t.equal(theirs.read.sliding_window, 2);
  const back = ModernBertConfig.fromJSON(theirs.written);
  t.same([back.layerTypes, back.ropeTheta('full_attention'), back.ropeTheta('sliding_attention')], [ours.layer_types, 500, 20]);
});

t.test('a bad config field is refused with a message naming it', async (t) => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ hidden_activation: 'frobnicate' }, /ModernBertConfig: hidden_activation "frobnicate" is not supported/],
    [{ classifier_activation: 'nope' }, /classifier_activation "nope" is not supported/],
    [{ classifier_pooling: 'max' }, /classifier_pooling "max" is not supported \(cls, mean\)/],
    [{ local_attention: 0 }, /local_attention must be an integer in/],
    [{ global_attn_every_n_layers: 0 }, /global_attn_every_n_layers must be an integer in/],
    [{ norm_eps: 0 }, /norm_eps must be a number in/],
    [{ norm_bias: 'no' }, /norm_bias must be true or false, got the string "no"/],
    [{ mlp_dropout: 2 }, /mlp_dropout must be a number in \[0, 1\]/],
    [{ initializer_cutoff_factor: '2' }, /initializer_cutoff_factor must be null or a number/],
    [{ global_rope_theta: -1 }, /global_rope_theta must be a number in/],
    [{ hidden_size: 21, num_attention_heads: 3 }, /head size \(hidden_size \/ num_attention_heads = 7\) must be even/],
    [{ hidden_size: 30, num_attention_heads: 4 }, /hidden size \(30\) is not a multiple of the number of attention heads \(4\)/],
    [{ layer_types: ['full_attention'] }, /layer_types has 1 entries, num_hidden_layers is 4/],
    [{ layer_types: ['full_attention', 'full_attention', 'chunked', 'full_attention'] }, /layer_types\[2\] "chunked" is not supported/],
    [{ rope_parameters: { full_attention: { rope_type: 'yarn', rope_theta: 10 } } }, /rope_parameters.full_attention.rope_type "yarn" is not supported \(default\)/],
    [{ rope_parameters: { full_attention: { rope_theta: 'big' } } }, /rope_parameters.full_attention.rope_theta must be a number/],
    [{ rope_parameters: 3 }, /rope_parameters must be null or an object/],
    [{ rope_scaling: { type: 'linear', factor: 2 } }, /rope_scaling "linear" is not supported/],
    [{ pad_token_id: 61 }, /pad_token_id 61 is outside the vocabulary of 61/],
  ];
  for (const [fields, message] of bad) t.throws(() => ModernBertConfig.fromJSON({ ...CONFIG, ...fields }), message, JSON.stringify(fields));
  t.throws(() => ModernBertConfig.fromJSON({ model_type: 'bert' }), /model_type "bert", not 'modernbert'/);
  t.throws(() => new modernbert.ModernBertForQuestionAnswering(new ModernBertConfig({ ...CONFIG, num_labels: 3 })), /needs num_labels 2/);
  t.throws(() => new modernbert.ModernBertModel(models.AutoConfig.forModel('bert') as never), /a ModernBERT model needs a ModernBertConfig/);
});

t.test('parameterCount is the parameters of the largest model the config builds', async (t) => {
  const variants: Record<string, unknown>[] = [
    {},
    { tie_word_embeddings: false },
    { attention_bias: true, mlp_bias: true, norm_bias: true, classifier_bias: true, decoder_bias: false },
    { num_labels: 400 },
    { num_labels: 400, tie_word_embeddings: false, norm_bias: true },
  ];
  for (const fields of variants) {
    const config = new ModernBertConfig({ ...CONFIG, ...fields });
    const heads = [modernbert.ModernBertModel, modernbert.ModernBertForMaskedLM, modernbert.ModernBertForSequenceClassification, modernbert.ModernBertForTokenClassification];
    const largest = Math.max(...heads.map((cls) => new cls(config).numParameters()));
    t.equal(config.parameterCount, largest, JSON.stringify(fields));
  }
  t.ok(Math.abs(new ModernBertConfig().parameterCount - 149_655_232) < 2e6, 'ModernBERT-base: about 150 million');
});

t.test("initialisation as transformers' _init_weights: truncated normals with a std per kind of weight", async (t) => {
  const range = 0.05;
  const sizes = { vocab_size: 3000, hidden_size: 256, num_hidden_layers: 3, num_attention_heads: 4, intermediate_size: 300, pad_token_id: 5, initializer_range: range };
  // The std of N(0, 1) truncated at ±c: √(1 - 2cφ(c) / (2Φ(c) - 1)).
  const erf = (x: number) => torch.tensor([x], { dtype: 'float64' }).erf().item() as number;
  const truncatedStd = (c: number) => Math.sqrt(1 - (2 * c * Math.exp((-c * c) / 2)) / Math.sqrt(2 * Math.PI) / erf(c / Math.SQRT2));
  for (const cutoff of [2, null]) {
    const c = cutoff ?? 3;
    const config = new ModernBertConfig({ ...sizes, initializer_cutoff_factor: cutoff, attention_bias: true, mlp_bias: true, norm_bias: true, classifier_bias: true, num_labels: 40 });
    torch.manualSeed(0);
    const mlm = new modernbert.ModernBertForMaskedLM(config);
    const classifier = new modernbert.ModernBertForSequenceClassification(config);
    const out = range / Math.sqrt(2 * 3);
    const expected: [string, torch.Tensor, number][] = [
      ['tok_embeddings', mlm.model.embeddings.tokEmbeddings.weight, range],
      ['Wqkv', mlm.model.layers.at(1).attn.Wqkv.weight, range],
      ['attn.Wo', mlm.model.layers.at(1).attn.Wo.weight, out],
      ['mlp.Wi', mlm.model.layers.at(2).mlp.Wi.weight, range],
      ['mlp.Wo', mlm.model.layers.at(2).mlp.Wo.weight, out],
      ['head.dense', mlm.head.dense.weight, out],
      ['classifier', classifier.classifier.weight, 256 ** -0.5],
    ];
    for (const [name, w, std] of expected) {
      const measured = w.std().item() as number;
      const want = std * truncatedStd(c);
      // Relative standard error of a sample std is 1/√(2n): 10 of them for the 10,240-weight classifier is 7%.
      const tolerance = 10 / Math.sqrt(2 * w.numel());
      t.ok(Math.abs(measured / want - 1) < tolerance, `cutoff ${c}, ${name}: std ${measured.toFixed(5)}, formula ${want.toFixed(5)}`);
      const bound = w.abs().max().item() as number;
      t.ok(bound <= c * std * (1 + 1e-6) && bound > c * std * 0.9, `${name}: truncated at ${c} std (max |w| ${bound.toFixed(4)})`);
    }
    if (cutoff === null) continue;
    t.ok((mlm.model.embeddings.tokEmbeddings.weight.select(0, 5).abs().sum().item() as number) > 0, 'the padding row is drawn like the others, as transformers');
    for (const [name, p] of mlm.namedParameters()) {
      if (name.endsWith('.bias')) t.equal(p.abs().sum().item(), 0, `${name} zero`);
      if (/norm\.weight$/.test(name)) t.equal(p.sub(1).abs().sum().item(), 0, `${name} ones`);
    }
    t.equal(mlm.decoder.weight, mlm.model.embeddings.tokEmbeddings.weight, 'decoder tied to the token embeddings');
    t.notOk(mlm.model.layers.at(0).attnNorm, 'layer 0 has no attention norm');
    const untied = new modernbert.ModernBertForMaskedLM(new ModernBertConfig({ ...sizes, tie_word_embeddings: false }));
    const decoderStd = untied.decoder.weight.std().item() as number;
    t.ok(Math.abs(decoderStd / (out * truncatedStd(2)) - 1) < 0.03, `an untied decoder: the output std (${decoderStd.toFixed(5)})`);
  }
});

t.test('resizeTokenEmbeddings keeps old rows and the decoder tied', async (t) => {
  torch.manualSeed(1);
  const model = new modernbert.ModernBertForMaskedLM(new ModernBertConfig(CONFIG));
  model.eval();
  const before = model.model.embeddings.tokEmbeddings.weight.clone();
  const bias = model.decoder.bias!.clone();
  model.resizeTokenEmbeddings(90);
  const after = model.model.embeddings.tokEmbeddings.weight;
  t.same(after.shape, [90, 30]);
  t.same(after.narrow(0, 0, 61).toArray(), before.toArray(), 'old rows kept');
  t.equal(model.decoder.weight, after, 'still tied');
  t.same(model.decoder.bias!.narrow(0, 0, 61).toArray(), bias.toArray(), 'old bias entries kept');
  t.equal(model.decoder.bias!.narrow(0, 61, 29).abs().sum().item(), 0, 'new bias entries zero');
  t.equal(model.config.fields.vocab_size, 90);
  t.same(model.forward({ inputIds: i64([[2, 80, 3]]) }).logits.shape, [1, 3, 90]);
  t.same(Object.keys(model.stateDict()).filter((k) => k.startsWith('decoder.')), ['decoder.weight', 'decoder.bias']);
  const untied = new modernbert.ModernBertForMaskedLM(new ModernBertConfig({ ...CONFIG, tie_word_embeddings: false }));
  const decoder = untied.decoder.weight.clone();
  untied.resizeTokenEmbeddings(70);
  t.same(untied.decoder.weight.shape, [70, 30], 'an untied decoder follows');
  t.same(untied.decoder.weight.narrow(0, 0, 61).toArray(), decoder.toArray());
  t.not(untied.decoder.weight, untied.model.embeddings.tokEmbeddings.weight, 'and stays untied');
  model.resizeTokenEmbeddings(40);
  t.same([model.decoder.weight.shape, model.decoder.bias!.shape], [[40, 30], [40]], 'shrinking');
});

t.test('bad input is a clear error', async (t) => {
  const model = new modernbert.ModernBertModel(new ModernBertConfig(CONFIG));
  t.throws(() => model.forward({ inputIds: i64([[1, 61]]) }), /inputIds contains id 61, outside the vocabulary of 61/);
  t.throws(() => model.forward({ inputIds: i64([[1, -1]]) }), /inputIds contains id -1/);
  t.throws(() => model.forward({ inputIds: torch.zeros([1, 65], { dtype: 'int64' }) }), /sequence length 65 exceeds max_position_embeddings \(64\)/);
  t.throws(() => model.forward({ inputIds: i64([[1, 2]]), attentionMask: i64([[1, 1, 1]]) }), /attentionMask has shape \[1, 3\], inputIds \[1, 2\]/);
  t.throws(() => model.forward({ inputIds: i64([[1, 2]]), positionIds: i64([[0, 1, 2]]) }), /positionIds has shape \[1, 3\], inputIds \[1, 2\]/);
  t.throws(() => model.forward({ inputIds: torch.tensor([[1, 2]]) }), /inputIds must be int64 or int32, got float32/);
  t.throws(() => model.forward({ inputIds: i64([1, 2]) }), /inputIds must have shape \(batch, length\)/);
  const mlm = new modernbert.ModernBertForMaskedLM(new ModernBertConfig(CONFIG));
  t.throws(() => mlm.forward({ inputIds: i64([[1, 2]]), labels: i64([[1, 2, 3]]) }), /labels have shape \[1, 3\], the input \[1, 2\]/);
  const withTypes = model.forward({ inputIds: i64([[2, 5, 3]]), tokenTypeIds: i64([[0, 1, 1]]) }).lastHiddenState;
  t.equal(withTypes.sub(model.forward({ inputIds: i64([[2, 5, 3]]) }).lastHiddenState).abs().max().item(), 0, 'token types are ignored');
});

t.test('attention probabilities and hidden states match transformers (eager); a transformers 4 config folder loads', { skip }, async (t) => {
  const dir = join(root, 'eager');
  const legacyDir = join(root, 'legacy');
  const ref = runPython<{ last: Nested; hidden: Nested[]; attentions: Nested[]; sdpaLast: Nested; legacyLast: Nested }>(
    `import json, torch, transformers
torch.manual_seed(5)
cfg = transformers.ModernBertConfig(**inp['config'], global_rope_theta=900.0, local_rope_theta=40.0)
cfg._attn_implementation = 'eager'
m = transformers.ModernBertModel(cfg).eval()
m.save_pretrained(inp['dir'])
ids, mask = torch.tensor(inp['ids']), torch.tensor(inp['mask'])
o = m(input_ids=ids, attention_mask=mask, output_hidden_states=True, output_attentions=True)
s = transformers.ModernBertModel.from_pretrained(inp['dir'], attn_implementation='sdpa').eval()
sdpa = s(input_ids=ids, attention_mask=mask).last_hidden_state
# the folder as transformers 4 wrote it: the layer pattern and rotary bases as plain numbers
m.save_pretrained(inp['legacy'])
path = inp['legacy'] + '/config.json'
c = json.load(open(path))
for k in ('layer_types', 'rope_parameters'): c.pop(k)
c.update(global_attn_every_n_layers=3, global_rope_theta=900.0, local_rope_theta=40.0, reference_compile=None, transformers_version='4.48.0')
json.dump(c, open(path, 'w'))
legacy = transformers.ModernBertModel.from_pretrained(inp['legacy']).eval()
out({'last': o.last_hidden_state.tolist(), 'hidden': [h.tolist() for h in o.hidden_states], 'attentions': [a.tolist() for a in o.attentions],
     'sdpaLast': sdpa.tolist(), 'legacyLast': legacy(input_ids=ids, attention_mask=mask).last_hidden_state.tolist()})`,
    { config: CONFIG, dir, legacy: legacyDir, ids: IDS, mask: MASK },
  );
  const inputs = { inputIds: i64(IDS), attentionMask: i64(MASK) };
  const eager = await models.AutoModel.fromPretrained(dir, { config: { attn_implementation: 'eager' } });
  eager.eval();
  const o = eager.forward({ ...inputs, outputHiddenStates: true, outputAttentions: true });
  t.equal(o.hiddenStates!.length, 5, 'the embeddings and one per layer');
  t.equal(o.attentions!.length, 4);
  const diffs = {
    last: maxAbsDiff(o.lastHiddenState.toArray() as Nested, ref.last),
    hidden: Math.max(...o.hiddenStates!.map((h, i) => maxAbsDiff(h.toArray() as Nested, ref.hidden[i]!))),
    attentions: Math.max(...o.attentions!.map((a, i) => maxAbsDiff(a.toArray() as Nested, ref.attentions[i]!))),
  };
  for (const [name, diff] of Object.entries(diffs)) t.ok(diff < 1e-5, `eager ${name}: max difference ${diff.toExponential(2)}`);

  const sdpa = await models.AutoModel.fromPretrained(dir);
  sdpa.eval();
  const fused = sdpa.forward(inputs).lastHiddenState;
  t.ok(maxAbsDiff(fused.toArray() as Nested, ref.sdpaLast) < 1e-5, 'sdpa: the fused kernel matches transformers sdpa');
  // Asked for probabilities, the sdpa model computes them explicitly and keeps the fused numbers.
  const explicit = sdpa.forward({ ...inputs, outputAttentions: true });
  t.ok((explicit.lastHiddenState.sub(fused).abs().max().item() as number) < 1e-5, 'sdpa with outputAttentions gives the fused numbers');
  // Local layer 1, row 0: queries 9 and 10 are padding with only padding within two tokens.
  const local = explicit.attentions![1]!.select(0, 0).select(0, 0);
  t.equal(local.narrow(0, 9, 2).abs().sum().item(), 0, 'a query that sees no key attends to nothing (the fused kernel\'s zeros)');
  const rowSums = local.narrow(0, 0, 9).sum(-1).toArray() as number[];
  t.ok(rowSums.every((s) => Math.abs(s - 1) < 1e-6), 'other rows are distributions');
  const window = local.narrow(0, 0, 7).toArray() as number[][];
  t.ok(window.every((row, i) => row.every((p, j) => Math.abs(i - j) <= 2 || p === 0)), 'local rows see only |i - j| <= local_attention / 2');

  const legacy = await models.AutoModel.fromPretrained(legacyDir);
  legacy.eval();
  t.ok(legacy.config instanceof ModernBertConfig && (legacy.config as InstanceType<typeof ModernBertConfig>).ropeTheta('sliding_attention') === 40, 'the transformers 4 fields are read');
  t.ok(maxAbsDiff(legacy.forward(inputs).lastHiddenState.toArray() as Nested, ref.legacyLast) < 1e-5, 'and give the outputs transformers gives');
});
