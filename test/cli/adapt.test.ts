import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bert, data, torch, train } from '../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-adapt-'));
const base = join(dir, 'base');
const domain = join(dir, 'domain.txt');
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'of', 'and', 'cell', 'signal', ...'abcdefghijklmnopqrstuvwxyz'.split(''), ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `##${c}`)];

t.before(async () => {
  torch.manualSeed(3);
  // No dropout, so the first training loss is a plain function of the weights and the batch.
  const model = new bert.BertForMaskedLM(new bert.BertConfig({ vocab_size: VOCAB.length, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }));
  await model.savePretrained(base);
  data.BertTokenizer.fromVocab(VOCAB).save(base);
  const r = new data.Random(9);
  const words = ['kinase', 'phosphorylation', 'the', 'of', 'cell', 'signal', 'antibody', 'and', 'receptor'];
  const lines: string[] = [];
  for (let d = 0; d < 80; d++) {
    for (let s = 0; s < 4; s++) lines.push(`${Array.from({ length: 8 }, () => words[r.int(words.length)]).join(' ')}.`);
    lines.push('');
  }
  writeFileSync(domain, lines.join('\n'));
});

t.test('adapt starts from the given weights: its first loss equals evaluating them on the same batch', async (t) => {
  const out = join(dir, 'adapted');
  const result = run('adapt', '--from', base, '--corpus', domain, '--out', out, '--steps', '3', '--batch-size', '4', '--seq-len', '32', '--lr', '1e-3', '--seed', '5', '--quiet');
  t.equal(result.status, 0, result.stderr);
  const first = JSON.parse(readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n')[0]!) as { loss: number };
  const tokenizer = data.BertTokenizer.fromPretrained(base);
  const model = await bert.BertForMaskedLM.fromPretrained(base);
  const corpus = new data.ShardedCorpus(join(out, 'data'));
  const batches = new train.PretrainingBatches(
    new data.PretrainingStream(corpus, { mode: 'packed', maxSeqLength: 32, seed: 5, clsId: tokenizer.clsId, sepId: tokenizer.sepId }),
    { vocabSize: tokenizer.vocabSize, maskId: tokenizer.maskId, padId: tokenizer.padId, specialIds: tokenizer.specialIds, maskProbability: 0.15, seed: 6 },
    4,
  );
  const loss = torch.noGrad(() => model.forward(batches.next()).loss.item() as number);
  t.ok(Math.abs(loss - first.loss) < 1e-5, `first adaptation loss ${first.loss.toFixed(6)}, the given weights evaluated ${loss.toFixed(6)}`);
  corpus.close();
});

t.test('adapt --extend-vocab adds the split domain words and grows the model to match', async (t) => {
  const out = join(dir, 'extended');
  const result = run('adapt', '--from', base, '--corpus', domain, '--out', out, '--extend-vocab', '3', '--steps', '2', '--batch-size', '4', '--seq-len', '32');
  t.equal(result.status, 0, result.stderr);
  t.match(result.stderr, /added 3 domain tokens: phosphorylation/, 'the added tokens are shown before training');
  const terms = JSON.parse(readFileSync(join(out, 'domain_terms.json'), 'utf8')) as { word: string }[];
  t.same(terms.map((x) => x.word), ['phosphorylation', 'antibody', 'receptor']);
  const tokenizer = data.BertTokenizer.fromPretrained(out);
  t.equal(tokenizer.vocabSize, VOCAB.length + 3);
  t.same((await tokenizer.encode('kinase phosphorylation')).tokens.slice(-2), ['phosphorylation', '[SEP]']);
  const model = await bert.BertForMaskedLM.fromPretrained(out);
  t.equal(model.config.fields.vocab_size, VOCAB.length + 3);
  t.same(model.loadReport!.missingKeys, []);
});

t.test('adapt: bad input is a message and a non-zero exit', async (t) => {
  t.equal(run('adapt', '--from', join(dir, 'nope'), '--corpus', domain, '--out', join(dir, 'x')).status, 2);
  t.match(run('adapt', '--from', base, '--corpus', join(dir, 'none.txt'), '--out', join(dir, 'x')).stderr, /none.txt does not exist/);
  t.equal(run('adapt', '--from', base, '--corpus', domain, '--out', join(dir, 'x'), '--extend-vocab', '-1').status, 2);
  t.match(run('adapt', '--help').stdout, /Usage: plm-torch adapt/);
});
