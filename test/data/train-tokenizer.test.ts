import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { trainTokenizer } from '../../lib/data/train-tokenizer.js';
import { trainWordPiece } from '../../lib/data/wordpiece-trainer.js';
import { readDocuments, emptyStats } from '../../lib/data/corpus.js';
import { Random } from '../../lib/data/random.js';
import { missingPython, runPython } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-train-'));

/** A corpus with Zipf-like word frequencies, some accents and Chinese. */
function corpus(lines: number, seed = 1): string {
  const r = new Random(seed);
  const stems = ['pretrain', 'language', 'model', 'domain', 'adapt', 'token', 'mask', 'predict', 'sentence', 'bert', 'café', 'naïve', 'genome', 'protein', 'clinical'];
  const suffixes = ['', 's', 'ing', 'ed', 'er', 'ation', 'ly'];
  const chinese = ['预训练', '语言', '模型', '领域', '微调'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const words: string[] = [];
    const n = 5 + r.int(10);
    for (let j = 0; j < n; j++) {
      const k = Math.floor(stems.length * r.next() ** 2);
      words.push(r.next() < 0.1 ? chinese[r.int(chinese.length)]! : stems[k]! + suffixes[r.int(suffixes.length)]!);
    }
    out.push(`${words.join(' ')}.`);
    if (i % 7 === 6) out.push('');
  }
  return `${out.join('\n')}\n`;
}

t.test('trains a vocabulary of exactly the size asked, specials first, that covers the corpus', async (t) => {
  const path = join(dir, 'corpus.txt');
  writeFileSync(path, corpus(3000));
  const { tokenizer, stats, words } = await trainTokenizer([path], { vocabSize: 200, minFrequency: 2 });
  t.equal(tokenizer.vocabSize, 200);
  t.same(tokenizer.vocabulary().slice(0, 5), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  t.ok(stats.documents > 400 && stats.lines >= 3000, `${stats.documents} documents, ${stats.lines} lines`);
  t.ok(words > 50);
  const e = await tokenizer.encode('Pretraining language models adapts to the domain: 预训练语言模型.');
  t.notOk(e.ids.includes(tokenizer.unkId) && e.tokens.includes('pre'), 'known words are not unknown');
  t.ok(tokenizer.vocabulary().includes('language'), 'a frequent word becomes one token');
  t.same(e.tokens[0], '[CLS]');
  t.same(e.tokens.at(-1), '[SEP]');
  const big = await trainTokenizer([path], { vocabSize: 100000, minFrequency: 2 });
  t.ok(big.tokenizer.vocabSize < 100000, 'stops when no pair is frequent enough');
});

t.test('the vocabulary matches the tokenizers library trainer (Python) on the same word counts', { skip: missingPython('tokenizers') }, async (t) => {
  const path = join(dir, 'corpus-py.txt');
  writeFileSync(path, corpus(2000, 5));
  const ours = (await trainTokenizer([path], { vocabSize: 300, minFrequency: 2 })).tokenizer.vocabulary();
  // The library breaks ties between equally frequent pairs in hash-map order, which changes
  // from run to run; eight runs show which tokens are legitimate outcomes.
  const runs = runPython<string[][]>(
    `from tokenizers import BertWordPieceTokenizer
runs = []
for _ in range(8):
    tok = BertWordPieceTokenizer(lowercase=True, strip_accents=True, handle_chinese_chars=True, clean_text=True)
    tok.train([inp], vocab_size=300, min_frequency=2, special_tokens=['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'], show_progress=False, limit_alphabet=1000)
    v = tok.get_vocab()
    runs.append(sorted(v, key=lambda k: v[k]))
out(runs)`,
    path,
  );
  const union = new Set(runs.flat());
  const inUnion = ours.filter((tok) => union.has(tok)).length / ours.length;
  const typical = ours.filter((tok) => runs[0]!.includes(tok)).length / ours.length;
  t.ok(runs.every((r) => r.length === ours.length), 'the same vocabulary size');
  t.same(ours.slice(0, 5), runs[0]!.slice(0, 5), 'special tokens first, in order');
  t.ok(inUnion >= 0.97, `${(inUnion * 100).toFixed(1)}% of our tokens appear in one of the library's eight runs (one run alone: ${(typical * 100).toFixed(1)}%)`);
});

t.test('the trainer on hand-checkable counts', async (t) => {
  const vocab = trainWordPiece(new Map([['low', 5], ['lower', 2], ['newest', 6], ['widest', 3]]), { vocabSize: 30, specialTokens: ['[UNK]'], minFrequency: 2 });
  t.same(vocab.slice(0, 12), ['[UNK]', 'd', 'e', 'i', 'l', 'n', 'o', 'r', 's', 't', 'w', '##o']);
  t.ok(vocab.includes('##est'), 'the most frequent ending merges');
  t.ok(vocab.includes('newest'));
  t.throws(() => trainWordPiece(new Map(), { vocabSize: 10, specialTokens: [] }), /no words/);
  t.throws(() => trainWordPiece(new Map([['a', 1]]), { vocabSize: 2, specialTokens: ['[A]', '[B]'] }), /vocabSize must be an integer above the 2 special tokens/);
});

t.test('corpora: text and JSONL, gzip, globs, and counted skips', async (t) => {
  writeFileSync(join(dir, 'a.txt'), 'first line\nsecond line\n\nnew document\n');
  writeFileSync(join(dir, 'b.jsonl.gz'), gzipSync(['{"text": "json one\\njson two"}', 'not json', '{"body": "no text field"}', '{"text": "json three"}', ''].join('\n')));
  writeFileSync(join(dir, 'c.txt'), Buffer.concat([Buffer.from('good line\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from(`${'x'.repeat(2000)}\nlast\n`)]));
  const stats = emptyStats();
  const docs: string[][] = [];
  for await (const d of readDocuments([join(dir, 'a.txt'), join(dir, '*.jsonl.gz'), join(dir, 'c.txt')], { maxLineLength: 1000 }, stats)) docs.push(d);
  t.same(docs, [['first line', 'second line'], ['new document'], ['json one', 'json two'], ['json three'], ['good line', 'last']]);
  t.same(stats.skipped, { tooLong: 1, invalidJson: 1, notText: 1, invalidUtf8: 1 });
  t.equal(stats.files, 3);
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '\n\n');
  await t.rejects(trainTokenizer([empty]), /holds no text to train on/);
  await t.rejects(trainTokenizer([join(dir, 'missing.txt')]), /corpus file .*missing.txt does not exist/);
  await t.rejects(trainTokenizer([join(dir, '*.nothing')]), /no files match/);
  await t.rejects(trainTokenizer([]), /no corpus files given/);
});

t.test('byte-level BPE (--type bpe): RoBERTa\'s specials, every byte known, lossless, the tokenizers library\'s vocabulary, and transformers\' ids', { skip: missingPython('tokenizers', 'transformers') }, async (t) => {
  const path = join(dir, 'corpus-bpe.txt');
  writeFileSync(path, corpus(2000, 9));
  const { tokenizer } = await trainTokenizer([path], { type: 'bpe', vocabSize: 400, minFrequency: 2 });
  t.equal(tokenizer.vocabSize, 400);
  t.same(tokenizer.vocabulary().slice(0, 5), ['<s>', '<pad>', '</s>', '<unk>', '<mask>']);
  t.same([tokenizer.clsId, tokenizer.sepId, tokenizer.padId, tokenizer.maskId], [0, 2, 1, 4]);
  const texts = ['Pretraining language models adapts to the domain.', 'Ünseen bytes: ∑ 🚀 and 预训练模型', '  two  spaces'];
  for (const text of texts) {
    const e = await tokenizer.encode(text);
    t.notOk(e.ids.includes(3), `no unknown token in ${JSON.stringify(text)}`);
    t.equal(await tokenizer.decode(e.ids), text, `decodes back to ${JSON.stringify(text)}`);
  }
  const pair = await tokenizer.encode('first part', 'second part');
  t.same([pair.tokens[0], pair.ids.filter((id) => id === 2).length], ['<s>', 3], '<s> A </s></s> B </s>');
  const out = join(dir, 'bpe-tokenizer');
  tokenizer.save(out);
  const theirs = runPython<{ ids: number[][]; runs: string[][]; cls: string; mask: string }>(
    `from transformers import AutoTokenizer
from tokenizers import ByteLevelBPETokenizer
tok = AutoTokenizer.from_pretrained(inp['dir'])
ids = [tok(x)['input_ids'] for x in inp['texts']] + [tok('first part', 'second part')['input_ids']]
runs = []
for _ in range(4):
    b = ByteLevelBPETokenizer(add_prefix_space=False)
    b.train([inp['path']], vocab_size=400, min_frequency=2, special_tokens=['<s>', '<pad>', '</s>', '<unk>', '<mask>'], show_progress=False)
    v = b.get_vocab(); runs.append(sorted(v, key=lambda k: v[k]))
out({'ids': ids, 'runs': runs, 'cls': tok.cls_token, 'mask': tok.mask_token})`,
    { dir: out, texts, path },
  );
  const ours = await Promise.all(texts.map(async (x) => (await tokenizer.encode(x)).ids));
  t.same(theirs.ids, [...ours, pair.ids], 'transformers gives the same ids from the saved folder');
  t.same([theirs.cls, theirs.mask], ['<s>', '<mask>']);
  const union = new Set(theirs.runs.flat());
  const vocab = tokenizer.vocabulary();
  const shared = vocab.filter((x) => union.has(x)).length / vocab.length;
  t.ok(shared >= 0.97, `${(shared * 100).toFixed(1)}% of our tokens appear in one of the library's four runs`);
});
