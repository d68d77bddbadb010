// BertConfig's checks on what config.json holds: types before ranges, bounds that catch a
// mistake before it allocates, a parameter count from the sizes alone that matches the model
// built, and keys such as '__proto__' kept as data.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, inference } from '../../lib/index.js';

const small = { vocab_size: 50, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 32, type_vocab_size: 2 };

t.test('parameterCount is the parameters of the model the config builds', async (t) => {
  const tied = new bert.BertConfig(small);
  t.equal(tied.parameterCount, new bert.BertForPreTraining(tied).numParameters(), 'pretraining heads, tied decoder');
  const untied = new bert.BertConfig({ ...small, tie_word_embeddings: false });
  t.equal(untied.parameterCount, new bert.BertForPreTraining(untied).numParameters(), 'pretraining heads, own decoder');
  // With more labels than the MLM head has parameters, the classifier is the larger model.
  const manyLabels = new bert.BertConfig({ ...small, num_labels: 500 });
  t.equal(manyLabels.parameterCount, new bert.BertForSequenceClassification(manyLabels).numParameters(), 'a classification head');
  // Hand count for bert-base (110M as published): embeddings 23.8M, 12 layers of 7.09M, pooler 0.59M.
  const base = new bert.BertConfig({});
  t.equal(base.parameterCount, 23_837_184 + 12 * 7_087_872 + 590_592 + (768 * 768 + 768 + 2 * 768 + 30522) + (2 * 768 + 2));
});

t.test('types are checked before ranges, and strings are not read as numbers', async (t) => {
  t.throws(() => new bert.BertConfig({ hidden_dropout_prob: '0.1' as unknown as number }), { name: 'TypeError', message: /hidden_dropout_prob must be a number in \[0, 1\], got the string "0\.1"/ });
  t.throws(() => new bert.BertConfig({ hidden_size: 768.5 }), /hidden_size must be an integer in \[1, 65536\], got 768\.5 \(768\.5 is not an integer\)/);
  t.throws(() => new bert.BertConfig({ num_hidden_layers: NaN }), /num_hidden_layers must be an integer/);
  t.throws(() => new bert.BertConfig({ layer_norm_eps: 0 }), /layer_norm_eps must be a number in \[1\.18e-38 \(float32's smallest normal\), 1\], got 0/);
  t.throws(() => new bert.BertConfig({ layer_norm_eps: 1e-40 }), /layer_norm_eps/);
  t.throws(() => new bert.BertConfig({ initializer_range: 5 }), /initializer_range must be a number in \[0, 1\], got 5/);
  // -1 reached libtorch's normal_() and came back as its message, without the field.
  t.throws(() => new bert.BertConfig({ initializer_range: -1 }), /^BertConfig: initializer_range must be a number in \[0, 1\], got -1$/);
  t.throws(() => new bert.BertConfig({ layer_norm_eps: '1e-12' as unknown as number }), /layer_norm_eps must be a number .* got the string "1e-12"/);
  t.throws(() => new bert.BertConfig({ classifier_dropout: 2 }), /classifier_dropout must be null or a number in \[0, 1\]/);
  t.ok(new bert.BertConfig({ classifier_dropout: null }), 'null where null means "use the default"');
  t.throws(() => new bert.BertConfig({ use_cache: 1 as unknown as boolean }), /use_cache must be true or false, got 1/);
  t.throws(() => new bert.BertConfig({ architectures: 'BertModel' as unknown as string[] }), /architectures must be null or an array of class names, got the string "BertModel"/);
  t.throws(() => new bert.BertConfig({ pad_token_id: 60, vocab_size: 50 }), /pad_token_id 60 is outside the vocabulary of 50/);
  t.throws(() => new bert.BertConfig({ id2label: { '0': 'a', '01': 'b' } }), /id2label must number its labels 0 to n-1, got ids \["0","01"\]/);
  t.throws(() => new bert.BertConfig({ label2id: { a: 'zero' } as unknown as Record<string, number> }), /label2id\["a"\] must be an integer in \[0, 999999\], got the string "zero"/);
});

t.test('sizes past any real encoder, or a model past the memory, are refused before allocating', async (t) => {
  t.throws(() => new bert.BertConfig({ hidden_size: 1_000_000, num_attention_heads: 1 }), /hidden_size must be an integer in \[1, 65536\], got 1000000/);
  t.throws(() => new bert.BertConfig({ vocab_size: 2 ** 31 }), /vocab_size must be an integer in \[1, 10000000\]/);
  t.throws(() => new bert.BertConfig({ num_labels: 1e9 }), /num_labels must be an integer in \[1, 1000000\], got 1000000000/);
  t.throws(
    () => new bert.BertConfig({ hidden_size: 65536, num_hidden_layers: 1024, num_attention_heads: 1024, intermediate_size: 262144 }),
    /the config implies [\d.]+ billion parameters .* more than the 100 billion/,
  );
  // 20 billion parameters pass the config's bounds but need 80 GB in float32: the model is refused, not half-built.
  const big = new bert.BertConfig({ hidden_size: 8192, num_hidden_layers: 24, num_attention_heads: 64, intermediate_size: 32768 });
  t.ok(big.parameterCount > 19e9 && big.parameterCount < 21e9);
  t.throws(() => new bert.BertModel(big), /a model of \d+ million parameters needs [\d.]+ GB in float32 to build, more than this machine's/);
  const dir = mkdtempSync(join(tmpdir(), 'plm-bigcfg-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 8192, num_hidden_layers: 24, num_attention_heads: 64, intermediate_size: 32768 }));
  await t.rejects(bert.BertModel.fromPretrained(dir), /needs [\d.]+ GB in float32 to build/, 'fromPretrained refuses before reading any weights (there are none)');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: '768' }));
  await t.rejects(bert.BertModel.fromPretrained(dir), /config\.json: BertConfig: hidden_size must be an integer .* got the string "768"/, 'the message names the file');
});

t.test("config.json keys such as '__proto__' and 'constructor' are data, not fields", async (t) => {
  const cfg = bert.BertConfig.fromJSON(JSON.parse('{"model_type":"bert","__proto__":{"hidden_size":12},"constructor":"x","hidden_size":16,"num_attention_heads":2}'));
  t.equal(cfg.fields.hidden_size, 16);
  t.same(Object.keys(cfg.extra).sort(), ['__proto__', 'constructor'].filter((k) => k !== 'model_type').sort());
  t.equal(({} as Record<string, unknown>).hidden_size, undefined, 'Object.prototype untouched');
  t.equal(Object.getPrototypeOf(cfg.extra), Object.prototype);
});

t.test('every BERT module and the inference helpers name a missing or wrong config', async (t) => {
  const modules = [bert.BertEmbeddings, bert.BertSelfAttention, bert.BertSelfOutput, bert.BertAttention, bert.BertIntermediate, bert.BertOutput, bert.BertLayer, bert.BertEncoder, bert.BertPooler, bert.BertPredictionHeadTransform] as unknown as (new (c: unknown) => unknown)[];
  for (const M of modules) {
    for (const bad of [undefined, {}, { fields: { hidden_size: 8 } }]) {
      t.throws(() => new M(bad), { name: 'TypeError', message: new RegExp(`^new ${M.name}\\(\\): config must be a BertConfig .*got (undefined|a Object object)`) }, `${M.name}(${JSON.stringify(bad)})`);
    }
  }
  t.throws(() => inference.defaultScoreFunction(undefined as never), /defaultScoreFunction\(\): config must be a model's config \(a PretrainedConfig/);
});


t.test('config.json text writes the float-typed fields as floats (0.0, not 0), as Python does, and reads back the same', async (t) => {
  const config = new bert.BertConfig({ ...small, hidden_dropout_prob: 0, attention_probs_dropout_prob: 1, layer_norm_eps: 1e-12, classifier_dropout: null });
  const text = config.toJSONText();
  t.match(text, /^ {2}"hidden_dropout_prob": 0\.0,$/m);
  t.match(text, /^ {2}"attention_probs_dropout_prob": 1\.0,$/m);
  t.match(text, /^ {2}"layer_norm_eps": 1e-12,$/m);
  t.match(text, /^ {2}"classifier_dropout": null,$/m);
  t.match(text, /^ {2}"vocab_size": 50,$/m, 'integer fields stay integers');
  t.same(JSON.parse(text), config.toJSON(), 'the same object as toJSON()');
  const plain = new bert.BertConfig(small).toJSON();
  t.equal(new bert.BertConfig(small).toJSONText({ ...plain, hidden_dropout_prob: 0.5 }), `${JSON.stringify({ ...plain, hidden_dropout_prob: 0.5 }, null, 2)}\n`, 'otherwise what JSON.stringify writes, nested objects included');
});
