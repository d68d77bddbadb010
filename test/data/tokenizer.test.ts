// The tokenizer against transformers' BertTokenizerFast on the same vocabulary, for a few
// hundred varied texts, cased and uncased; and a folder saved here read by AutoTokenizer.
import t from 'tap';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BertTokenizer } from '../../lib/data/tokenizer.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('transformers', 'tokenizers');
const dir = mkdtempSync(join(tmpdir(), 'plm-tok-'));

const BASE = [
  'Pretrained language models move from general text to specific domains.',
  'Masked language modeling (MLM) and next sentence prediction (NSP) train BERT!',
  'Fine-tuning adapts the model: accuracy rose 3.5% on the test-set, didn\'t it?',
  'Café, naïve, Ångström, résumé, jalapeño, Übermensch and façade.',
  '随着自然语言处理(NLP)的发展，预训练语言模型已经成为推动该领域进步的关键技术。',
  '从早期的Word2Vec、GloVe到现代的BERT、RoBERTa再到GPT-3，预训练模型已经从简单的词向量扩展到复杂的上下文感知模型。',
  'Antidisestablishmentarianism and pneumonoultramicroscopicsilicovolcanoconiosis are long words.',
  'E-mail me at someone@example.com or visit https://example.org/path?q=1&r=2.',
  'Tabs\tand\nnewlines, multiple   spaces, and a zero\u200bwidth space.',
  'Emoji 😀 and symbols © ® ™ € £ ¥ and math ∑ ∫ √ ≤ ≥.',
  'UPPER lower MiXeD CaSe WORDS and CamelCaseIdentifiers like getVocabSize.',
  "Quotes 'single' \"double\" «guillemets» and dashes – — ...",
];

function texts(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 300; i++) {
    const a = BASE[i % BASE.length]!;
    const b = BASE[(i * 7 + 3) % BASE.length]!;
    const cut = (s: string, k: number) => s.slice(0, Math.max(1, Math.floor((s.length * ((k % 10) + 1)) / 10)));
    out.push(i % 3 === 0 ? a : i % 3 === 1 ? `${cut(a, i)} ${cut(b, i + 3)}` : `${a.toUpperCase()} ${cut(b, i)}`);
  }
  return out;
}

/** A vocabulary made from the texts: specials, words, characters and ## pieces. */
function vocabulary(all: string[], lowercase: boolean): string[] {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const norm = (s: string) => (lowercase ? s.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '') : s);
  const words = new Map<string, number>();
  const chars = new Set<string>();
  for (const text of all) {
    for (const w of norm(text).split(/[\s\p{P}\p{S}]+/u)) if (w) words.set(w, (words.get(w) ?? 0) + 1);
    // Emoji stay out of the vocabulary, so both sides must produce [UNK] for them.
    for (const c of norm(text)) if (!/\s/.test(c) && !/\p{Extended_Pictographic}/u.test(c)) chars.add(c);
  }
  const frequent = [...words].filter(([w, n]) => n > 20 && w.length < 12 && !/[\u4e00-\u9fff]/.test(w)).map(([w]) => w);
  const pieces = ['##ing', '##ed', '##s', '##tion', '##al', '##er', 'pre', '##train', 'lang', '##uage', 'mod', '##el'];
  const tokens = [...specials, ...[...chars].sort(), ...[...chars].sort().map((c) => `##${c}`), ...frequent.sort(), ...pieces];
  return [...new Set(tokens)];
}

t.test('ids, token types, offsets-free equality with BertTokenizerFast (uncased and cased)', { skip }, async (t) => {
  const all = texts();
  for (const lowercase of [true, false]) {
    const vocab = vocabulary(all, lowercase);
    const vocabPath = join(dir, `vocab-${lowercase}.txt`);
    writeFileSync(vocabPath, `${vocab.join('\n')}\n`);
    const ours = BertTokenizer.fromVocabFile(vocabPath, { lowercase });
    const pairs: [string, string][] = all.slice(0, 60).map((a, i) => [a, all[(i + 5) % all.length]!]);
    const mine = await ours.encodeBatch(all);
    const minePairs = await ours.encodeBatch(pairs);
    const truncated = await Promise.all(pairs.slice(0, 30).map(([a, b]) => ours.encode(a, b, { maxLength: 24 })));
    const theirs = runPython<{ single: number[][]; pairs: number[][]; types: number[][]; truncated: number[][]; words: (number | null)[][] }>(
      `import inspect
from transformers import BertTokenizerFast
# transformers 5 takes the vocab.txt path as 'vocab'; 4.x as 'vocab_file'
key = 'vocab' if 'vocab' in inspect.signature(BertTokenizerFast.__init__).parameters else 'vocab_file'
tok = BertTokenizerFast(**{key: inp['vocab']}, do_lower_case=inp['lower'])
single = tok(inp['texts'])
pairs = tok([a for a, b in inp['pairs']], [b for a, b in inp['pairs']])
tr = tok([a for a, b in inp['pairs'][:30]], [b for a, b in inp['pairs'][:30]], truncation='longest_first', max_length=24)
out({'single': single['input_ids'], 'pairs': pairs['input_ids'], 'types': pairs['token_type_ids'], 'truncated': tr['input_ids'],
     'words': [single.word_ids(i) for i in range(len(inp['texts']))]})`,
      { vocab: vocabPath, lower: lowercase, texts: all, pairs },
    );
    const label = lowercase ? 'uncased' : 'cased';
    const differing = mine.filter((e, i) => JSON.stringify(e.ids) !== JSON.stringify(theirs.single[i]));
    t.equal(differing.length, 0, `${label}: ids equal for all ${all.length} texts`);
    t.same(mine.map((e) => e.wordIds), theirs.words, `${label}: word ids`);
    t.same(minePairs.map((e) => e.ids), theirs.pairs, `${label}: pair ids`);
    t.same(minePairs.map((e) => e.typeIds), theirs.types, `${label}: token type ids`);
    t.same(truncated.map((e) => e.ids), theirs.truncated, `${label}: longest-first truncation to 24`);
    t.ok(mine.some((e) => e.ids.includes(ours.unkId)), `${label}: unknown characters map to [UNK] on both sides`);
  }
});

t.test('a saved folder loads in AutoTokenizer with the same ids, and loads back here', { skip }, async (t) => {
  const all = texts();
  const tok = BertTokenizer.fromVocab(vocabulary(all, true));
  const out = join(dir, 'saved');
  tok.save(out);
  const theirs = runPython<number[][]>(`from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained(inp['dir'])\nout(tok(inp['texts'])['input_ids'])`, { dir: out, texts: all.slice(0, 50) });
  t.same((await tok.encodeBatch(all.slice(0, 50))).map((e) => e.ids), theirs);
  const back = BertTokenizer.fromPretrained(out);
  t.same((await back.encode(all[3]!)).ids, (await tok.encode(all[3]!)).ids);
  t.equal(back.vocabSize, tok.vocabSize);
});

t.test('encodings carry offsets and word ids; decode and special ids', async (t) => {
  const tok = BertTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', '##s', 'un', '##aff', '##able', ',', '!']);
  const e = await tok.encode('Hello worlds, unaffable!', 'hello');
  t.same(e.tokens, ['[CLS]', 'hello', 'world', '##s', ',', 'un', '##aff', '##able', '!', '[SEP]', 'hello', '[SEP]']);
  t.same(e.typeIds, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  t.same(e.offsets.slice(1, 4), [[0, 5], [6, 11], [11, 12]]);
  t.same(e.wordIds, [null, 0, 1, 1, 2, 3, 3, 3, 4, null, 0, null]);
  t.same(e.specialTokensMask, [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  t.equal(await tok.decode(e.ids), 'hello worlds, unaffable! hello');
  t.same([tok.padId, tok.unkId, tok.clsId, tok.sepId, tok.maskId], [0, 1, 2, 3, 4]);
  t.equal(tok.addTokens(['genome', 'hello']), 1, 'one new token');
  t.same((await tok.encode('genome')).tokens, ['[CLS]', 'genome', '[SEP]']);
  const cut = await tok.encode('hello world hello world', 'hello hello hello', { maxLength: 6 });
  t.same(cut.tokens, ['[CLS]', 'hello', 'world', '[SEP]', 'hello', '[SEP]']);
});

t.test('bad vocabularies and folders are clear errors', async (t) => {
  t.throws(() => BertTokenizer.fromVocab(['a', 'b']), /the vocabulary has no \[PAD\] token/);
  t.throws(() => BertTokenizer.fromVocab(['[PAD]', '[PAD]']), /lists "\[PAD\]" twice/);
  const empty = join(dir, 'empty-folder');
  mkdirSync(empty);
  t.throws(() => BertTokenizer.fromPretrained(empty), /has neither tokenizer.json nor vocab.txt/);
  writeFileSync(join(dir, 'empty.txt'), '');
  t.throws(() => BertTokenizer.fromVocabFile(join(dir, 'empty.txt')), /is an empty vocabulary/);
  writeFileSync(join(dir, 'broken.json'), '{"model": 3}');
  t.throws(() => BertTokenizer.fromFile(join(dir, 'broken.json')), /is not a tokenizer.json the tokenizers library can read/);
  const tok = BertTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  await t.rejects(tok.encode(42 as unknown as string), /text must be a string/);
  await t.rejects(tok.encode('a', null, { maxLength: 0 }), /maxLength must be an integer of at least 4/);
});

t.test('a vocab.txt folder takes strip_accents and tokenize_chinese_chars from tokenizer_config.json', async (t) => {
  const folder = join(dir, 'normalisation');
  mkdirSync(folder, { recursive: true });
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'cafe', 'café', '中', '文', '##文'];
  writeFileSync(join(folder, 'vocab.txt'), `${vocab.join('\n')}\n`);
  const ids = async (config: object, text: string) => {
    writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify(config));
    return (await BertTokenizer.fromPretrained(folder).encode(text)).ids;
  };
  t.same(await ids({ do_lower_case: true }, 'Café'), [2, 5, 3], 'uncased strips accents by default (strip_accents null)');
  t.same(await ids({ do_lower_case: true, strip_accents: null }, 'Café'), [2, 5, 3]);
  t.same(await ids({ do_lower_case: true, strip_accents: false }, 'Café'), [2, 6, 3], 'strip_accents: false keeps é');
  t.same(await ids({ do_lower_case: false, strip_accents: true }, 'café'), [2, 5, 3], 'strip_accents: true strips when cased');
  t.same(await ids({}, '中文'), [2, 7, 8, 3], 'each CJK character is a word by default');
  t.same(await ids({ tokenize_chinese_chars: false }, '中文'), [2, 7, 9, 3], 'tokenize_chinese_chars: false keeps 中文 one word: 中 ##文');
});

t.test('tokens named like Object.prototype members are ordinary tokens', async (t) => {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'constructor', 'tostring', '__proto__', 'hasownproperty', 'valueof'];
  const tok = BertTokenizer.fromVocab(vocab);
  t.same((await tok.encode('constructor toString valueOf hasOwnProperty')).ids, [2, 5, 6, 9, 8, 3]);
  t.equal(tok.tokenToId('__proto__'), 7);
});

t.test('a corrupt tokenizer_config.json is an error naming the file', async (t) => {
  const folder = join(dir, 'corrupt-config');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'vocab.txt'), '[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nword\n');
  writeFileSync(join(folder, 'tokenizer_config.json'), '{"do_lower_case": tru');
  t.throws(() => BertTokenizer.fromPretrained(folder), /tokenizer config .*corrupt-config\/tokenizer_config\.json is not valid JSON/);
  writeFileSync(join(folder, 'tokenizer_config.json'), 'null');
  t.throws(() => BertTokenizer.fromPretrained(folder), /tokenizer config .*tokenizer_config\.json must hold a JSON object, got null/);
});

t.test('array arguments: a huge sparse array or a non-array is refused at once, naming the argument (the fuzz found encodeBatch walking 2^32 - 1 holes)', async (t) => {
  const tok = BertTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello']);
  const holey: string[] = [];
  holey.length = 2 ** 32 - 1;
  const started = Date.now();
  await t.rejects(tok.encodeBatch(holey), /encodeBatch\(\): inputs .* has length 4294967295, more than the \d+ elements a JavaScript array can hold/);
  await t.rejects(tok.encodeIds(holey), /encodeIds\(\): texts has length 4294967295/);
  t.throws(() => tok.addTokens(holey), /addTokens\(\): tokens has length 4294967295/);
  await t.rejects(tok.decode(holey as unknown as number[]), /decode\(\): ids has length/);
  const sparse = ['hello', 'hello'];
  delete sparse[1];
  await t.rejects(tok.encodeBatch(sparse), /index 1 of its length 2 is an empty slot/);
  await t.rejects(tok.encodeBatch('hello' as unknown as string[]), /encodeBatch\(\): inputs .* must be an array, got "hello"/);
  t.throws(() => BertTokenizer.fromVocab({ length: 3 } as unknown as string[]), /fromVocab\(\): vocab must be an array/);
  t.throws(() => new (BertTokenizer as unknown as new (x: unknown) => unknown)({}), /make one with AutoTokenizer.fromPretrained\(\), Tokenizer.fromFile\(\), BertTokenizer.fromVocab/);
  t.ok(Date.now() - started < 2000, 'all refused within 2 s');
});
