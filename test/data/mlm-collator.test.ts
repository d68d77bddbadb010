import t from 'tap';

import { MlmCollator, type Example } from '../../lib/data/mlm-collator.js';
import { Random } from '../../lib/data/random.js';

const VOCAB = 1000;
const SPECIAL = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };
const options = { vocabSize: VOCAB, maskId: SPECIAL.mask, padId: SPECIAL.pad, specialIds: [0, 1, 2, 3, 4] };

function examples(count: number, seed = 1): Example[] {
  const r = new Random(seed);
  return Array.from({ length: count }, () => {
    const a = Array.from({ length: 20 + r.int(40) }, () => 5 + r.int(VOCAB - 5));
    const b = Array.from({ length: 10 + r.int(20) }, () => 5 + r.int(VOCAB - 5));
    const inputIds = [SPECIAL.cls, ...a, SPECIAL.sep, ...b, SPECIAL.sep];
    const tokenTypeIds = [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1];
    // words of one to three tokens
    const wordIds: (number | null)[] = [null];
    let w = 0;
    for (let i = 0; i < a.length; i++) wordIds.push(i % 3 === 0 ? ++w : w);
    wordIds.push(null);
    w = 0;
    for (let i = 0; i < b.length; i++) wordIds.push(i % 2 === 0 ? ++w : w);
    wordIds.push(null);
    return { inputIds, tokenTypeIds, wordIds, nextSentenceLabel: r.int(2) };
  });
}

function statistics(collator: MlmCollator, data: Example[]) {
  let eligible = 0;
  let chosen = 0;
  let asMask = 0;
  let asRandom = 0;
  let unchanged = 0;
  let specialMasked = 0;
  let paddingMasked = 0;
  let labelsWrong = 0;
  for (let start = 0; start < data.length; start += 32) {
    const batchExamples = data.slice(start, start + 32);
    const batch = collator.collate(batchExamples);
    const ids = batch.inputIds.toArray() as number[][];
    const labels = batch.labels.toArray() as number[][];
    const attention = batch.attentionMask.toArray() as number[][];
    batchExamples.forEach((e, b) => {
      for (let i = 0; i < ids[b]!.length; i++) {
        const original = e.inputIds[i];
        const label = labels[b]![i]!;
        if (original === undefined) {
          if (label !== -100 || ids[b]![i] !== SPECIAL.pad || attention[b]![i] !== 0) paddingMasked++;
          continue;
        }
        const special = original < 5;
        if (!special) eligible++;
        if (label === -100) {
          if (ids[b]![i] !== original) labelsWrong++;
          continue;
        }
        if (special) specialMasked++;
        if (label !== original) labelsWrong++;
        chosen++;
        if (ids[b]![i] === SPECIAL.mask) asMask++;
        else if (ids[b]![i] === original) unchanged++;
        else asRandom++;
      }
    });
  }
  return { eligible, rate: chosen / eligible, mask: asMask / chosen, random: asRandom / chosen, unchanged: unchanged / chosen, specialMasked, paddingMasked, labelsWrong };
}

t.test('masking statistics over more than 100,000 tokens: rate and 80/10/10', async (t) => {
  const data = examples(1800);
  const s = statistics(new MlmCollator({ ...options, seed: 7 }), data);
  t.ok(s.eligible > 100_000, `${s.eligible} maskable tokens`);
  // Binomial: σ of the rate ≈ √(0.15·0.85/1e5) ≈ 0.0011; allow 4σ.
  t.ok(Math.abs(s.rate - 0.15) < 0.0045, `masked rate ${s.rate.toFixed(4)}`);
  t.ok(Math.abs(s.mask - 0.8) < 0.012, `[MASK] share ${s.mask.toFixed(4)}`);
  t.ok(Math.abs(s.random - 0.1) < 0.009, `random share ${s.random.toFixed(4)}`);
  t.ok(Math.abs(s.unchanged - 0.1) < 0.009, `unchanged share ${s.unchanged.toFixed(4)}`);
  t.equal(s.specialMasked, 0, 'no special token ever masked');
  t.equal(s.paddingMasked, 0, 'padding never masked, labelled or attended');
  t.equal(s.labelsWrong, 0, 'labels hold the original ids where masked, -100 elsewhere');
  const mosaic = statistics(new MlmCollator({ ...options, seed: 8, maskProbability: 0.3, maskReplaceProbability: 1, randomReplaceProbability: 0 }), data);
  t.ok(Math.abs(mosaic.rate - 0.3) < 0.006, `rate 0.30: ${mosaic.rate.toFixed(4)}`);
  t.equal(mosaic.mask, 1, 'all chosen tokens become [MASK] when the split says so');
});

t.test('whole-word masking masks every token of a chosen word', async (t) => {
  const data = examples(300, 3);
  const collator = new MlmCollator({ ...options, seed: 1, wholeWordMask: true });
  let words = 0;
  let split = 0;
  for (const e of data) {
    const { labels } = collator.mask(e);
    const byWord = new Map<string, boolean[]>();
    e.wordIds!.forEach((w, i) => {
      if (w === null) return;
      const key = `${e.tokenTypeIds![i]}:${w}`;
      byWord.set(key, [...(byWord.get(key) ?? []), labels[i] !== -100]);
    });
    for (const flags of byWord.values()) {
      words++;
      if (flags.some((f) => f) && !flags.every((f) => f)) split++;
    }
  }
  t.ok(words > 5000);
  t.equal(split, 0, 'no word partly masked');
});

t.test('padding, masks, token types and NSP labels; identical seeds give identical batches', async (t) => {
  const data = examples(5, 9);
  const a = new MlmCollator({ ...options, seed: 42 }).collate(data);
  const b = new MlmCollator({ ...options, seed: 42 }).collate(data);
  const c = new MlmCollator({ ...options, seed: 43 }).collate(data);
  t.equal(a.inputIds.shape[1]! % 8, 0, 'length padded to a multiple of 8');
  t.ok(a.inputIds.shape[1]! >= Math.max(...data.map((e) => e.inputIds.length)));
  t.same(a.inputIds.toArray(), b.inputIds.toArray());
  t.same(a.labels.toArray(), b.labels.toArray());
  t.notSame(a.labels.toArray(), c.labels.toArray(), 'another seed masks elsewhere');
  t.same(a.nextSentenceLabel!.toArray(), data.map((e) => e.nextSentenceLabel));
  t.same((a.tokenTypeIds.toArray() as number[][])[0]!.slice(0, data[0]!.tokenTypeIds!.length), data[0]!.tokenTypeIds);
  t.same((a.attentionMask.toArray() as number[][]).map((row) => row.reduce((x, y) => x + y, 0)), data.map((e) => e.inputIds.length));
  t.equal(a.inputIds.dtype, 'int64');
  const saved = new MlmCollator({ ...options, seed: 5 });
  saved.collate(data);
  const state = saved.random.state();
  const next = saved.collate(data);
  const resumed = new MlmCollator({ ...options, seed: 0 });
  resumed.random = Random.fromState(state);
  t.same(resumed.collate(data).labels.toArray(), next.labels.toArray(), 'a restored generator state continues exactly');
});

t.test('bad options and input are clear errors', async (t) => {
  t.throws(() => new MlmCollator({ ...options, maskProbability: 1.5 }), /maskProbability must be in \[0, 1\]/);
  t.throws(() => new MlmCollator({ ...options, maskReplaceProbability: 0.9, randomReplaceProbability: 0.2 }), /must not exceed 1/);
  t.throws(() => new MlmCollator({ ...options, padToMultipleOf: 0 }), /padToMultipleOf must be a positive integer/);
  t.throws(() => new MlmCollator(options).collate([]), /at least one example/);
  t.throws(() => new MlmCollator(options).collate([{ inputIds: [2, 5, 3], tokenTypeIds: [0, 0] }]), /tokenTypeIds of another length/);
  t.throws(() => new Random(-1), /non-negative integer/);
  t.throws(() => Random.fromState([1, 2, 3]), /four 32-bit/);
});

t.test('the generator: uniform enough and reproducible', async (t) => {
  const r = new Random(123);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) counts[r.int(10)]!++;
  t.ok(counts.every((c) => Math.abs(c - 10_000) < 400), `bucket counts ${counts.join(' ')}`);
  const a = new Random(99);
  const b = new Random(99);
  t.same(Array.from({ length: 5 }, () => a.nextUint32()), Array.from({ length: 5 }, () => b.nextUint32()));
  t.not(new Random(1).nextUint32(), new Random(2).nextUint32());
});

t.test('random replacements skip special ids without listing the vocabulary (a huge vocabSize costs nothing)', async (t) => {
  const huge = new MlmCollator({ ...options, vocabSize: 2 ** 31, seed: 3, maskProbability: 1, maskReplaceProbability: 0, randomReplaceProbability: 1 });
  const batch = huge.collate([{ inputIds: [2, 7, 8, 9, 10, 11, 12, 3] }]);
  const ids = (batch.inputIds.toArray() as number[][])[0]!;
  t.ok(ids.slice(1, -1).every((id) => id >= 5 && id < 2 ** 31), 'replacements are non-special ids in range');
  // A vocabulary of specials 0..4 plus ids 5 and 6: replacements can only be 5 or 6.
  const tiny = new MlmCollator({ ...options, vocabSize: 7, seed: 4, maskProbability: 1, maskReplaceProbability: 0, randomReplaceProbability: 1 });
  const drawn = new Set((tiny.collate([{ inputIds: Array.from({ length: 200 }, () => 5) }]).inputIds.toArray() as number[][])[0]);
  t.same([...drawn].sort(), [5, 6]);
  t.throws(() => new MlmCollator({ ...options, vocabSize: 5 }), /every id of the vocabulary is special/);
});
