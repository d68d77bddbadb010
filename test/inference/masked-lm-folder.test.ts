// Filling masks and MLM evaluation refuse a folder without a masked-LM head (an ELECTRA
// discriminator, a classifier) instead of answering from a fresh random head.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { data, electra, inference } from '../../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-mlm-folder-'));
const CONFIG = { vocab_size: 60, embedding_size: 8, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 64 };

t.test('an ELECTRA discriminator folder is refused for MLM; its generator folder is evaluated', async (t) => {
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(corpus, Array.from({ length: 40 }, (_, i) => `the cell ${i % 2 ? 'binds' : 'makes'} a protein.\n`).join(''));
  const tokenizer = (await data.trainTokenizer([corpus], { vocabSize: 60 })).tokenizer;
  const config = new electra.ElectraConfig({ ...CONFIG, vocab_size: tokenizer.vocabSize });
  const discriminator = join(dir, 'discriminator');
  await new electra.ElectraForPreTraining(config).savePretrained(discriminator);
  tokenizer.save(discriminator);
  const source = { corpus: [corpus], batches: 2, batchSize: 4, seqLen: 16 };
  await t.rejects(inference.evaluateModelFolder(discriminator, source), /holds ElectraForPreTraining weights without a masked-LM head \(missing generator_predictions\./);
  await t.rejects(inference.openModel(discriminator), /without a masked-LM head/);

  const generator = join(dir, 'generator');
  await new electra.ElectraForMaskedLM(config).savePretrained(generator);
  tokenizer.save(generator);
  const metrics = (await inference.evaluateModelFolder(generator, source)) as { perplexity: number; mlmLoss: number };
  t.ok(Math.abs(metrics.perplexity - Math.exp(metrics.mlmLoss)) < 1e-9, 'the generator evaluates');
});
