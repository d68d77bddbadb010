// ElectraConfig: transformers' defaults, unknown keys kept, checks naming the field, a
// parameter count that is the largest head's, and vocabulary resizing with the tied generator.
import t from 'tap';

import { bert, torch } from '../../lib/index.js';
import * as electra from '../../lib/models/electra/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const small = { vocab_size: 50, embedding_size: 12, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 32 };

t.test('the defaults are transformers\' ElectraConfig()', { skip: missingPython('transformers') }, async (t) => {
  const theirs = runPython<Record<string, unknown>>(`import transformers\nout(transformers.ElectraConfig().to_dict())`);
  const ours = new electra.ElectraConfig().toJSON();
  for (const [key, value] of Object.entries(ours)) {
    if (key in theirs) t.same(value, theirs[key], key);
  }
  const known = ['embedding_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'summary_type', 'summary_use_proj', 'summary_activation', 'summary_last_dropout'];
  t.same(known.filter((k) => !(k in ours)), [], 'ELECTRA\'s own fields are written');
});

t.test('it is a BertConfig whose embeddings have their own width', async (t) => {
  const config = new electra.ElectraConfig(small);
  t.ok(config instanceof bert.BertConfig, "BERT's blocks accept it");
  t.equal(config.embeddingSize, 12);
  t.equal(config.modelType, 'electra');
  t.equal(new electra.ElectraConfig().embeddingSize, 128);
});

t.test('toJSON and fromJSON round-trip, keeping unknown keys', async (t) => {
  const json = { ...new electra.ElectraConfig(small).toJSON(), bos_token_id: null, my_note: { kept: [1, 2] }, transformers_version: '5.18.0' };
  const config = electra.ElectraConfig.fromJSON(json);
  t.ok(config instanceof electra.ElectraConfig);
  t.same(config.extra, { bos_token_id: null, my_note: { kept: [1, 2] }, transformers_version: '5.18.0' });
  t.same(config.toJSON(), json, 'written back as read');
  t.equal(config.with({ embedding_size: 8 }).fields.embedding_size, 8, 'with() keeps the class');
  t.same(config.with({ num_labels: 3 }).extra, config.extra);
  t.throws(() => electra.ElectraConfig.fromJSON({ model_type: 'bert' }), /config\.json has model_type "bert", not 'electra'/);
});

t.test('a bad field gives a message naming it', async (t) => {
  const bad = (fields: Record<string, unknown>) => () => new electra.ElectraConfig(fields);
  t.throws(bad({ embedding_size: 0 }), { name: 'RangeError', message: /^ElectraConfig: embedding_size must be an integer in \[1, 65536\], got 0$/ });
  t.throws(bad({ embedding_size: '128' }), { name: 'TypeError', message: /ElectraConfig: embedding_size must be an integer .* got the string "128"/ });
  t.throws(bad({ embedding_size: 12.5 }), /embedding_size must be an integer .* \(12\.5 is not an integer\)/);
  t.throws(bad({ hidden_size: 25, num_attention_heads: 4 }), /^ElectraConfig: the hidden size \(25\) is not a multiple of the number of attention heads \(4\)$/);
  t.throws(bad({ hidden_dropout_prob: 1.5 }), /^ElectraConfig: hidden_dropout_prob must be a number in \[0, 1\], got 1\.5$/);
  t.throws(bad({ summary_type: 'max' }), /^ElectraConfig: summary_type "max" is not supported \(last, first, mean, cls_index, attn\)$/);
  t.throws(bad({ summary_use_proj: 'yes' }), /ElectraConfig: summary_use_proj must be true or false, got the string "yes"/);
  t.throws(bad({ summary_activation: 3 }), /ElectraConfig: summary_activation must be null or an activation name, got 3/);
  t.throws(bad({ summary_last_dropout: -0.1 }), /ElectraConfig: summary_last_dropout must be a number in \[0, 1\]/);
  t.throws(bad({ hidden_act: 'mish' }), /ElectraConfig: hidden_act "mish" is not supported/);
  t.throws(bad({ embedding_size: 65536, vocab_size: 10_000_000, max_position_embeddings: 1 << 20 }), /ElectraConfig: the config implies .* billion parameters \(embedding_size 65536, hidden_size 256/);
  t.ok(new electra.ElectraConfig({ ...small, embedding_size: 7 }), 'embedding_size need not divide into the heads');
});

t.test('parameterCount is the parameters of the largest model the config builds', async (t) => {
  const heads = [electra.ElectraModel, electra.ElectraForPreTraining, electra.ElectraForMaskedLM, electra.ElectraForSequenceClassification, electra.ElectraForTokenClassification, electra.ElectraForQuestionAnswering];
  const largest = (config: electra.ElectraConfig) => Math.max(...heads.map((Head) => new Head(config).numParameters()));
  for (const [what, fields] of [
    ['the tied generator', small],
    ['an untied generator', { ...small, tie_word_embeddings: false }],
    ['no projection (embedding_size = hidden_size)', { ...small, embedding_size: 16 }],
    ['a small vocabulary: the discriminator', { ...small, vocab_size: 3, pad_token_id: 0 }],
  ] as const) {
    const config = new electra.ElectraConfig(fields);
    t.equal(config.parameterCount, largest(config), what);
  }
  const manyLabels = new electra.ElectraConfig({ ...small, num_labels: 500 });
  t.equal(manyLabels.parameterCount, new electra.ElectraForSequenceClassification(manyLabels).numParameters(), 'a classifier with many labels');
  // ELECTRA-Small (the defaults), counted by transformers: the encoder 13,483,008, the
  // discriminator 13,549,057, the generator 13,546,682; the two-label classifier, 257 more
  // than the discriminator, is the largest.
  const defaults = new electra.ElectraConfig();
  t.equal(defaults.parameterCount, 13_483_008 + (256 * 256 + 256) + 2 * 257);
  t.equal(new electra.ElectraForPreTraining(defaults).numParameters(), 13_549_057);
  t.equal(new electra.ElectraModel(defaults).numParameters(), 13_483_008);
  t.equal(new electra.ElectraForMaskedLM(defaults).numParameters(), 13_546_682);
});

t.test('resizeTokenEmbeddings keeps the old rows and the generator tied', async (t) => {
  torch.manualSeed(4);
  const model = new electra.ElectraForMaskedLM(new electra.ElectraConfig(small));
  const before = model.wordEmbeddings.weight.clone();
  const bias = model.generatorLmHead.bias!.clone();
  model.resizeTokenEmbeddings(57);
  const weight = model.wordEmbeddings.weight;
  t.same(weight.shape, [57, 12]);
  t.equal(model.generatorLmHead.weight, weight, 'the projection is still the word embeddings');
  t.equal(weight.narrow(0, 0, 50).sub(before).abs().max().item(), 0, 'old rows kept');
  t.same(model.generatorLmHead.bias!.shape, [57]);
  t.equal(model.generatorLmHead.bias!.narrow(0, 0, 50).sub(bias).abs().max().item(), 0, 'old bias entries kept');
  t.equal(model.generatorLmHead.bias!.narrow(0, 50, 7).abs().max().item(), 0, 'new bias entries zero, as transformers pads a tied head');
  t.equal(model.config.fields.vocab_size, 57);
  t.same(model.forward({ inputIds: torch.tensor([[2, 56, 3]], { dtype: 'int64' }) }).logits.shape, [1, 3, 57]);
  t.same(Object.keys(model.stateDict()).filter((k) => k.startsWith('generator_lm_head')).sort(), ['generator_lm_head.bias', 'generator_lm_head.weight']);

  const untied = new electra.ElectraForMaskedLM(new electra.ElectraConfig({ ...small, tie_word_embeddings: false }));
  const own = untied.generatorLmHead.weight.clone();
  untied.resizeTokenEmbeddings(53);
  t.not(untied.generatorLmHead.weight, untied.wordEmbeddings.weight, 'an untied projection stays its own');
  t.same(untied.generatorLmHead.weight.shape, [53, 12]);
  t.equal(untied.generatorLmHead.weight.narrow(0, 0, 50).sub(own).abs().max().item(), 0, 'its old rows kept');
  t.same(untied.forward({ inputIds: torch.tensor([[2, 52]], { dtype: 'int64' }) }).logits.shape, [1, 2, 53]);

  const discriminator = new electra.ElectraForPreTraining(new electra.ElectraConfig(small));
  discriminator.resizeTokenEmbeddings(60);
  t.same(discriminator.wordEmbeddings.weight.shape, [60, 12], 'the discriminator has no head to follow');
});
