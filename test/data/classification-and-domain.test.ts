import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bert, data, torch } from '../../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-cls-'));
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cell', 'is', 'good', 'bad', 'pro', '##tein', '##s', 'gen', '##ome', 'bind', '##ing', 'a', 'b', 'c', 'd', 'e', 'g', 'i', 'n', 'o', 'p', 'r', 's', 't', '##e', '##i', '##n', '##o', '##r', '##t', '##s', '##g', '##m', '##a'];

t.test('classification batches: string and integer labels, pairs, padding', async (t) => {
  const tok = data.BertTokenizer.fromVocab([...new Set(VOCAB)]);
  const records = [
    { text: 'the cell is good', label: 'pos' },
    { text: 'the cell is bad', textPair: 'proteins', label: 'neg' },
    { text: 'genome', label: 'pos' },
  ];
  t.same(data.labelSet(records), ['neg', 'pos']);
  t.same(data.labelSet([{ text: '', label: 2 }, { text: '', label: 0 }, { text: '', label: 'x' }]), [0, 2, 'x']);
  const collator = new data.ClassificationCollator(tok, data.labelSet(records));
  const batch = await collator.collate(records);
  t.same(batch.labels!.toArray(), [1, 0, 1]);
  t.equal(batch.inputIds.shape[1]! % 8, 0);
  t.same((batch.tokenTypeIds.toArray() as number[][])[1]!.slice(0, 9), [0, 0, 0, 0, 0, 0, 1, 1, 1]);
  t.same((batch.attentionMask.toArray() as number[][]).map((r) => r.reduce((a, b) => a + b, 0)), [6, 10, 4]);
  await t.rejects(collator.collate([{ text: 'the', label: 'neutral' }]), /label "neutral" is not one of \["neg", "pos"\]/);
  await t.rejects(collator.collate([{ label: 'pos' } as unknown as data.ClassificationRecord]), /record 0 has no text string/);
  const unlabeled = await collator.collate([{ text: 'the cell' }]);
  t.equal(unlabeled.labels, undefined);
});

t.test('domain terms: frequent words split into many pieces, best first, and the model follows', async (t) => {
  const tok = data.BertTokenizer.fromVocab([...new Set(VOCAB)]);
  const corpus = join(dir, 'domain.txt');
  writeFileSync(corpus, `${Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 'proteins bind the genome' : 'the protein binding site is good')).join('\n')}\n`);
  const terms = await data.findDomainTerms(tok, [corpus], { top: 3, minFrequency: 5 });
  // site: s ##i ##t ##e, 20 times, saves 60; binding, protein (2 pieces, 20 times) and
  // proteins (3 pieces, 10 times) save 20 each, ties broken alphabetically.
  t.same(terms.map((x) => x.word), ['site', 'binding', 'protein']);
  t.same(terms[0], { word: 'site', frequency: 20, pieces: 4, unknown: false, saving: 60 });
  t.same(terms[2], { word: 'protein', frequency: 20, pieces: 2, unknown: false, saving: 20 });
  const withUnknown = await data.findDomainTerms(tok, [corpus], { top: 10, minFrequency: 5 });
  t.notOk(withUnknown.some((x) => x.unknown), 'every letter of this corpus is in the vocabulary');
  const before = tok.vocabSize;
  t.equal(tok.addTokens(terms.map((x) => x.word)), 3);
  t.equal(tok.vocabSize, before + 3);
  t.same((await tok.encode('protein binding site')).tokens, ['[CLS]', 'protein', 'binding', 'site', '[SEP]']);
  const model = new bert.BertForMaskedLM(new bert.BertConfig({ vocab_size: before, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 32 }));
  model.resizeTokenEmbeddings(tok.vocabSize);
  const ids = (await tok.encode('protein binding site')).ids;
  t.same(model.forward({ inputIds: torch.tensor([ids], { dtype: 'int64' }) }).logits.shape, [1, 5, before + 3]);
});

t.test('labels and records that are not arrays are named, not met with an engine message', async (t) => {
  const tok = data.BertTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'good']);
  t.throws(() => new data.ClassificationCollator(tok, 5 as unknown as string[]), /new ClassificationCollator\(\): labels must be an array, got 5/);
  t.throws(() => new data.ClassificationCollator(tok, []), /labels must be a non-empty array/);
  t.throws(() => data.labelSet({} as unknown as []), /labelSet\(\): records must be an array/);
  const collator = new data.ClassificationCollator(tok, ['a', 'b']);
  await t.rejects(collator.collate('good' as unknown as []), /collate\(\): records must be an array/);
});

t.test('domain terms under a byte-level BPE: pieces as in running text, and the saving is what adding them saves', async (t) => {
  const general = join(dir, 'bpe-general.txt');
  writeFileSync(general, `${Array.from({ length: 40 }, (_, i) => `the cat sat on the mat and the dog ran ${i % 2 ? 'far' : 'home'}`).join('\n')}\n`);
  const tok = (await data.trainTokenizer([general], { type: 'bpe', vocabSize: 300 })).tokenizer;
  // Every line starts with 'the', so each domain word follows a space, as the terms are measured.
  const lines = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 'the phosphorylation of kinase' : 'the kinase binds the receptor'));
  const corpus = join(dir, 'bpe-domain.txt');
  writeFileSync(corpus, `${lines.join('\n')}\n`);
  const terms = await data.findDomainTerms(tok, [corpus], { top: 3, minFrequency: 5 });
  t.same(terms.map((x) => x.word).sort(), ['kinase', 'phosphorylation', 'receptor']);
  for (const term of terms) {
    const inText = (await tok.encodeIds([` ${term.word}`], { addSpecialTokens: false }))[0]!;
    t.equal(term.pieces, inText.length, `${term.word}: ${term.pieces} pieces after a space`);
  }
  const count = async () => (await tok.encodeIds(lines, { addSpecialTokens: false })).reduce((n, ids) => n + ids.length, 0);
  const before = await count();
  t.equal(tok.addTokens(terms.map((x) => x.word)), 3);
  t.equal(before - (await count()), terms.reduce((n, x) => n + x.saving, 0), 'the corpus shrinks by exactly the savings reported');
});
