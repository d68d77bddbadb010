// Corpus → shards → pretraining examples: round trip, resume, NSP as create_pretraining_data
// builds it, rank splits, and the bad inputs of a real corpus.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MlmCollator } from '../../lib/data/mlm-collator.js';
import { PretrainingStream, type StreamOptions } from '../../lib/data/pretraining-stream.js';
import { Random } from '../../lib/data/random.js';
import { prepareShards, ShardedCorpus, MANIFEST } from '../../lib/data/shards.js';
import { trainTokenizer } from '../../lib/data/train-tokenizer.js';
import type { BertTokenizer } from '../../lib/data/tokenizer.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-shards-'));

function writeCorpus(path: string, documents: number, seed: number, sentencesPerDocument = [2, 8]): void {
  const r = new Random(seed);
  const words = ['alpha', 'beta', 'gamma', 'delta', 'protein', 'binding', 'site', 'model', 'learns', 'the', 'of', 'a', 'domain', 'clinical', 'notes'];
  const lines: string[] = [];
  for (let d = 0; d < documents; d++) {
    const sentences = sentencesPerDocument[0]! + r.int(sentencesPerDocument[1]!);
    for (let s = 0; s < sentences; s++) lines.push(`${Array.from({ length: 3 + r.int(15) }, () => words[r.int(words.length)]).join(' ')} ${d}.`);
    lines.push('');
  }
  writeFileSync(path, lines.join('\n'));
}

let tokenizer: BertTokenizer;
const corpusPath = join(dir, 'corpus.txt');

/** `file` prepared into dir/name with the shared tokenizer, opened. */
async function shardsOf(file: string, name: string): Promise<ShardedCorpus> {
  await prepareShards([file], tokenizer, join(dir, name));
  return new ShardedCorpus(join(dir, name));
}

/** A stream over `corpus` with the shared tokenizer's [CLS] and [SEP]. */
function streamOf(corpus: ShardedCorpus, options: Omit<StreamOptions, 'clsId' | 'sepId'>): PretrainingStream {
  return new PretrainingStream(corpus, { ...options, clsId: tokenizer.clsId, sepId: tokenizer.sepId });
}

t.before(async () => {
  writeCorpus(corpusPath, 300, 1);
  tokenizer = (await trainTokenizer([corpusPath], { vocabSize: 400 })).tokenizer;
});

t.test('shards round-trip every document, over several shards, and report throughput', async (t) => {
  const out = join(dir, 'shards');
  const manifest = await prepareShards([corpusPath], tokenizer, out, { shardTokens: 2000, batchSize: 100 });
  t.equal(manifest.dtype, 'uint16');
  t.ok(manifest.shards.length > 3, `${manifest.shards.length} shards`);
  t.equal(manifest.documents, 300);
  t.ok(manifest.seconds >= 0 && manifest.corpus.bytes > 0);
  const corpus = new ShardedCorpus(out);
  const lines = (await import('node:fs')).readFileSync(corpusPath, 'utf8').split('\n\n').map((d) => d.split('\n').filter(Boolean));
  let checked = 0;
  for (const d of [0, 1, 57, 150, 299]) {
    const expected = (await tokenizer.encodeBatch(lines[d]!, { addSpecialTokens: false })).map((e) => e.ids);
    t.same(corpus.document(d), expected, `document ${d}`);
    checked++;
  }
  t.equal(checked, 5);
  t.throws(() => corpus.document(300), /document 300 is out of range/);
  corpus.close();
  await t.rejects(prepareShards([corpusPath], tokenizer, out), /already holds prepared shards/);
});

t.test('a half-written shard folder is never taken for a finished one', async (t) => {
  const half = join(dir, 'half');
  mkdirSync(half);
  writeFileSync(join(half, 'shard-00000.tokens'), Buffer.alloc(10));
  t.throws(() => new ShardedCorpus(half), /holds no finished shards \(no manifest.json\)/);
  const failing = join(dir, 'failing');
  await t.rejects(prepareShards([join(dir, 'missing.txt')], tokenizer, failing), /does not exist/);
  t.notOk(existsSync(failing), 'nothing left under the target name');
  t.notOk(readdirSync(dir).some((f) => f.includes('.partial-')), 'no partial folder left behind');
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '\n\n\n');
  await t.rejects(prepareShards([empty], tokenizer, join(dir, 'from-empty')), /holds no text: nothing to prepare/);
});

t.test('NSP pairs: balanced labels, same-document continuations, lengths within the limit', async (t) => {
  // Documents longer than a sequence, as real ones are: with short ones most chunks hold a
  // single segment, which create_pretraining_data always pairs with a random B.
  const longDocs = join(dir, 'long-docs.txt');
  writeCorpus(longDocs, 200, 4, [20, 20]);
  const corpus = await shardsOf(longDocs, 'nsp');
  const stream = streamOf(corpus, { mode: 'nsp', maxSeqLength: 64, seed: 3 });
  const examples = stream.take(2000);
  const random = examples.filter((e) => e.nextSentenceLabel === 1).length / examples.length;
  t.ok(Math.abs(random - 0.5) < 0.06, `share of random B ${random.toFixed(3)}`);
  t.ok(examples.every((e) => e.inputIds.length <= 64), 'no example longer than maxSeqLength');
  t.ok(examples.every((e) => e.inputIds[0] === tokenizer.clsId && e.inputIds.at(-1) === tokenizer.sepId && e.inputIds.filter((x) => x === tokenizer.sepId).length === 2), '[CLS] A [SEP] B [SEP]');
  t.ok(examples.every((e) => e.tokenTypeIds!.indexOf(1) === e.inputIds.indexOf(tokenizer.sepId) + 1), 'token types switch after the first [SEP]');
  const short = examples.filter((e) => e.inputIds.length < 40).length / examples.length;
  t.ok(short > 0.05, `short_seq_prob makes some short examples (${short.toFixed(3)})`);
  corpus.close();
});

t.test('a resumed stream equals the uninterrupted one; seeds and ranks', async (t) => {
  const corpus = await shardsOf(corpusPath, 'resume');
  const make = (seed: number, rank = 0, worldSize = 1, mode: 'nsp' | 'packed' | 'line' = 'nsp') => streamOf(corpus, { mode, maxSeqLength: 48, seed, rank, worldSize });
  const whole = make(1).take(1500);
  const first = make(1);
  first.take(777);
  const saved = first.position();
  const resumed = make(1);
  resumed.seek(saved);
  t.same(resumed.take(723), whole.slice(777), 'resumed from position (into a later epoch too)');
  t.ok(saved.epoch >= 0 && saved.cursor >= 0);
  t.same(make(1).take(50), whole.slice(0, 50), 'identical seeds, identical examples');
  t.notSame(make(2).take(50), whole.slice(0, 50));
  const r0 = make(1, 0, 2, 'line');
  const r1 = make(1, 1, 2, 'line');
  const firstDocs = (s: PretrainingStream, n: number) => {
    const docs = new Set<number>();
    for (let i = 0; i < n; i++) {
      s.next();
      docs.add(s.position().cursor);
    }
    return docs;
  };
  t.ok(firstDocs(r0, 10).size > 0 && firstDocs(r1, 10).size > 0);
  const lines0 = make(5, 0, 2, 'line').take(400).map((e) => e.inputIds.join(','));
  const lines1 = make(5, 1, 2, 'line').take(400).map((e) => e.inputIds.join(','));
  t.ok(lines0.filter((l) => lines1.includes(l)).length < 20, 'ranks read different documents');
  const packed = make(1, 0, 1, 'packed').take(200);
  t.ok(packed.every((e) => e.inputIds.length <= 48 && e.nextSentenceLabel === undefined), 'packed examples within the limit, no NSP label');
  t.throws(() => make(1, 2, 2), /rank 2 and worldSize 2 do not make a valid split/);
  t.throws(() => first.seek({ epoch: -1, cursor: 0, offset: 0 }), /non-negative integer/);
  corpus.close();
});

t.test('stream → collator: whole-word masking from ## pieces', async (t) => {
  const corpus = await shardsOf(corpusPath, 'wwm');
  const continuation = new Set(tokenizer.vocabulary().flatMap((tok, id) => (tok.startsWith('##') ? [id] : [])));
  const stream = streamOf(corpus, { mode: 'nsp', maxSeqLength: 64, seed: 1, continuationIds: continuation });
  const collator = new MlmCollator({ vocabSize: tokenizer.vocabSize, maskId: tokenizer.maskId, padId: tokenizer.padId, specialIds: tokenizer.specialIds, wholeWordMask: true, seed: 2 });
  const batch = collator.collate(stream.take(16));
  t.same(batch.inputIds.shape[0], 16);
  t.ok(batch.nextSentenceLabel, 'NSP labels batched');
  t.ok((batch.labels.ne(-100).sum().item() as number) > 0, 'some tokens to predict');
  corpus.close();
  rmSync(join(dir, 'wwm'), { recursive: true });
  void MANIFEST;
});

t.test('a vocabulary above 65,536 tokens is stored as uint32 and round-trips', async (t) => {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '.', ...letters, ...letters.map((l) => `##${l}`)];
  for (let i = 0; vocab.length < 70_000; i++) vocab.push(`w${i}`);
  vocab.push('zebra');
  const { BertTokenizer } = await import('../../lib/data/tokenizer.js');
  const big = BertTokenizer.fromVocab(vocab);
  const path = join(dir, 'big-vocab.txt');
  writeFileSync(path, 'zebra w69000 abc.\nw1 zebra.\n\nw42.\n');
  const out = join(dir, 'uint32');
  const manifest = await prepareShards([path], big, out);
  t.equal(manifest.dtype, 'uint32');
  const corpus = new ShardedCorpus(out);
  t.same(corpus.document(0), await big.encodeIds(['zebra w69000 abc.', 'w1 zebra.'], { addSpecialTokens: false }));
  t.ok(corpus.document(0)[0]!.includes(vocab.indexOf('zebra')), 'an id above 65,535 survives');
  corpus.close();
});

t.test('a corpus that gives no NSP pairs is an error naming why, not an endless loop', async (t) => {
  const single = join(dir, 'single-lines.txt');
  writeFileSync(single, 'one line only, in the only document.\n');
  const corpus = await shardsOf(single, 'single-shards');
  const nsp = streamOf(corpus, { mode: 'nsp', maxSeqLength: 32 });
  t.throws(() => nsp.next(), /no 'nsp' training examples in three passes/);
  const packed = streamOf(corpus, { mode: 'packed', maxSeqLength: 32 });
  t.ok(packed.next().inputIds.length > 2, 'the same corpus serves MLM-only training');
});

t.test('seeking to any recorded position gives the same next example, across epoch boundaries', async (t) => {
  // Three documents: epochs are short, and the last document of one epoch is often the first
  // of the next, whose examples must be that epoch's own, not the previous epoch's.
  const small = join(dir, 'three-docs.txt');
  writeCorpus(small, 3, 9, [4, 1]);
  const corpus = await shardsOf(small, 'three-shards');
  const make = () => streamOf(corpus, { mode: 'nsp', maxSeqLength: 24, seed: 1 });
  const stream = make();
  const recorded = Array.from({ length: 300 }, () => {
    const position = stream.position();
    return { position, ids: stream.next().inputIds.join(',') };
  });
  const epochs = new Set(recorded.map((r) => r.position.epoch)).size;
  const mismatches = recorded.filter((r) => {
    const resumed = make();
    resumed.seek(r.position);
    return resumed.next().inputIds.join(',') !== r.ids;
  }).length;
  t.ok(epochs > 20, `${epochs} epochs covered`);
  t.equal(mismatches, 0, 'every resumed stream continues exactly');
});
