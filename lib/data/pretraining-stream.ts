// Pretraining examples from prepared shards, as an endless seeded stream:
// - 'nsp': sentence pairs as google-research/bert's create_pretraining_data builds them
//   (A and B from one document, B from another document half the time, short_seq_prob,
//   longest-first random truncation);
// - 'packed': consecutive sentences of a document packed up to the sequence length (MLM only);
// - 'line': one sentence per example (MLM only).
// Documents are visited in a seeded order per epoch, split across data-parallel ranks, and
// each document's examples come from a generator seeded by (seed, epoch, document), so a
// saved position resumes by regenerating one document, never by replaying the stream.
import { describeValue } from '../torch/describe.js';
import type { Example } from './mlm-collator.js';
import { Random } from './random.js';
import type { ShardedCorpus } from './shards.js';

export type StreamMode = 'nsp' | 'packed' | 'line';

export interface StreamOptions {
  mode?: StreamMode;
  maxSeqLength?: number;
  shortSeqProb?: number;
  seed?: number;
  rank?: number;
  worldSize?: number;
  clsId: number;
  sepId: number;
  /** Ids of '##' continuation pieces, to give examples word ids for whole-word masking. */
  continuationIds?: ReadonlySet<number>;
}

export interface StreamPosition {
  epoch: number;
  /** Index into this rank's document order for the epoch. */
  cursor: number;
  /** Index of the next example within that document. */
  offset: number;
}

function mix(...values: number[]): number {
  // A 32-bit hash of the numbers (FNV-1a over their bytes), to seed per-document generators.
  let h = 0x811c9dc5;
  for (const v of values) {
    for (let k = 0; k < 4; k++) {
      h ^= (Math.floor(v / 2 ** (8 * k)) & 0xff) >>> 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}

/** Python's random.randint(a, b): inclusive. */
function randint(r: Random, a: number, b: number): number {
  return a + r.int(b - a + 1);
}

export class PretrainingStream {
  readonly corpus: ShardedCorpus;
  readonly options: Required<Omit<StreamOptions, 'continuationIds'>> & { continuationIds?: ReadonlySet<number> };
  #position: StreamPosition = { epoch: 0, cursor: 0, offset: 0 };
  #order: number[] = [];
  #orderEpoch = -1;
  #examples: Example[] = [];
  /** Which (epoch, document) #examples were built for: examples differ by epoch. */
  #examplesFor = '';

  constructor(corpus: ShardedCorpus, options: StreamOptions) {
    this.corpus = corpus;
    this.options = { mode: 'nsp', maxSeqLength: 128, shortSeqProb: 0.1, seed: 0, rank: 0, worldSize: 1, ...options };
    const o = this.options;
    if (!['nsp', 'packed', 'line'].includes(o.mode)) throw new RangeError(`mode must be 'nsp', 'packed' or 'line', got ${describeValue(o.mode)}`);
    if (!Number.isInteger(o.maxSeqLength) || o.maxSeqLength < 8) throw new RangeError(`maxSeqLength must be an integer of at least 8, got ${describeValue(o.maxSeqLength)}`);
    if (!(o.shortSeqProb >= 0 && o.shortSeqProb <= 1)) throw new RangeError(`shortSeqProb must be in [0, 1], got ${describeValue(o.shortSeqProb)}`);
    if (!Number.isInteger(o.worldSize) || o.worldSize < 1 || !Number.isInteger(o.rank) || o.rank < 0 || o.rank >= o.worldSize) {
      throw new RangeError(`rank ${describeValue(o.rank)} and worldSize ${describeValue(o.worldSize)} do not make a valid split`);
    }
    if (corpus.documentCount < o.worldSize) throw new RangeError(`${corpus.documentCount} documents cannot be split over ${o.worldSize} ranks`);
  }

  position(): StreamPosition {
    return { ...this.#position };
  }

  /** Continues from a saved position: only the current document's examples are rebuilt. */
  seek(position: StreamPosition): void {
    for (const k of ['epoch', 'cursor', 'offset'] as const) {
      if (!Number.isInteger(position[k]) || position[k] < 0) throw new RangeError(`stream position ${k} must be a non-negative integer`);
    }
    this.#position = { ...position };
    this.#examplesFor = '';
  }

  /** This rank's documents for an epoch: a seeded shuffle of all, every worldSize-th from rank. */
  #documentOrder(epoch: number): number[] {
    if (this.#orderEpoch !== epoch) {
      const n = this.corpus.documentCount;
      const order = Array.from({ length: n }, (_, i) => i);
      const r = new Random(mix(this.options.seed, epoch, 0x5eed));
      for (let i = n - 1; i > 0; i--) {
        const j = r.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const { rank, worldSize } = this.options;
      // Every rank gets the same count, so data-parallel steps stay in lockstep.
      const perRank = Math.floor(n / worldSize);
      this.#order = order.filter((_, i) => i % worldSize === rank).slice(0, perRank);
      this.#orderEpoch = epoch;
    }
    return this.#order;
  }

  next(): Example {
    // Epochs passed without an example. A corpus that gives none (NSP needs documents of two
    // sentences or more; a rank may get no documents) would otherwise loop here forever.
    let emptyEpochs = 0;
    for (;;) {
      const order = this.#documentOrder(this.#position.epoch);
      if (this.#position.cursor >= order.length) {
        if (++emptyEpochs > 3) {
          const { rank, worldSize, mode } = this.options;
          const share = worldSize > 1 ? ` (rank ${rank} of ${worldSize} reads ${order.length} of its ${this.corpus.documentCount} documents)` : '';
          throw new Error(
            `the corpus gives no '${mode}' training examples in three passes over it${share}: ` +
              (mode === 'nsp' ? 'next-sentence pairs need two lines in a document, or two documents (a blank line ends one); MLM-only training (packed) takes any text' : 'its documents hold no tokens'),
          );
        }
        this.#position = { epoch: this.#position.epoch + 1, cursor: 0, offset: 0 };
        continue;
      }
      const doc = order[this.#position.cursor]!;
      const key = `${this.#position.epoch}:${doc}`;
      if (this.#examplesFor !== key) {
        this.#examples = this.#documentExamples(doc, this.#position.epoch);
        this.#examplesFor = key;
      }
      if (this.#position.offset >= this.#examples.length) {
        this.#position = { epoch: this.#position.epoch, cursor: this.#position.cursor + 1, offset: 0 };
        continue;
      }
      const example = this.#examples[this.#position.offset]!;
      this.#position = { ...this.#position, offset: this.#position.offset + 1 };
      return example;
    }
  }

  take(n: number): Example[] {
    return Array.from({ length: n }, () => this.next());
  }

  #example(a: number[], b: number[] | null, nextSentenceLabel?: number): Example {
    const { clsId, sepId, continuationIds } = this.options;
    const inputIds = b ? [clsId, ...a, sepId, ...b, sepId] : [clsId, ...a, sepId];
    const tokenTypeIds = b ? [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1] : inputIds.map(() => 0);
    const example: Example = { inputIds, tokenTypeIds, ...(nextSentenceLabel === undefined ? {} : { nextSentenceLabel }) };
    if (continuationIds) {
      // A '##' piece continues the word before it; [CLS] and [SEP] belong to no word.
      const special = new Set([0, a.length + 1, inputIds.length - 1]);
      let word = -1;
      example.wordIds = inputIds.map((id, i) => {
        if (special.has(i)) return null;
        if (!(continuationIds.has(id) && word >= 0 && !special.has(i - 1))) word++;
        return word;
      });
    }
    return example;
  }

  #documentExamples(doc: number, epoch: number): Example[] {
    const r = new Random(mix(this.options.seed, epoch, doc));
    const document = this.corpus.document(doc);
    const mode = this.options.mode;
    if (mode === 'line') return document.map((s) => this.#example(s.slice(0, this.options.maxSeqLength - 2), null));
    if (mode === 'packed') return this.#packed(document);
    return this.#nsp(document, doc, r);
  }

  #packed(document: number[][]): Example[] {
    const room = this.options.maxSeqLength - 2;
    const out: Example[] = [];
    let current: number[] = [];
    for (const sentence of document) {
      for (let start = 0; start < sentence.length; start += room) {
        const piece = sentence.slice(start, start + room);
        if (current.length + piece.length > room && current.length > 0) {
          out.push(this.#example(current, null));
          current = [];
        }
        current.push(...piece);
      }
    }
    if (current.length) out.push(this.#example(current, null));
    return out;
  }

  /** google-research/bert create_instances_from_document, line for line. */
  #nsp(document: number[][], doc: number, r: Random): Example[] {
    const maxNumTokens = this.options.maxSeqLength - 3;
    let target = maxNumTokens;
    if (r.next() < this.options.shortSeqProb) target = randint(r, 2, maxNumTokens);
    const out: Example[] = [];
    let chunk: number[][] = [];
    let length = 0;
    let i = 0;
    while (i < document.length) {
      const segment = document[i]!;
      chunk.push(segment);
      length += segment.length;
      if (i === document.length - 1 || length >= target) {
        if (chunk.length) {
          const aEnd = chunk.length >= 2 ? randint(r, 1, chunk.length - 1) : 1;
          const a = chunk.slice(0, aEnd).flat();
          let b: number[] = [];
          let isRandomNext = 0;
          if ((chunk.length === 1 || r.next() < 0.5) && this.corpus.documentCount > 1) {
            isRandomNext = 1;
            const targetB = target - a.length;
            let other = doc;
            for (let k = 0; k < 10 && other === doc; k++) other = randint(r, 0, this.corpus.documentCount - 1);
            if (other === doc) other = (doc + 1) % this.corpus.documentCount;
            const randomDocument = this.corpus.document(other);
            const randomStart = randint(r, 0, randomDocument.length - 1);
            for (let j = randomStart; j < randomDocument.length; j++) {
              b.push(...randomDocument[j]!);
              if (b.length >= targetB) break;
            }
            // The segments not used go back to be read again.
            i -= chunk.length - aEnd;
          } else {
            b = chunk.slice(aEnd).flat();
          }
          truncatePair(a, b, maxNumTokens, r);
          if (a.length >= 1 && b.length >= 1) out.push(this.#example(a, b, isRandomNext));
        }
        chunk = [];
        length = 0;
      }
      i++;
    }
    return out;
  }
}

/** Trims the longer of two sequences, from the front or back at random, until they fit. */
function truncatePair(a: number[], b: number[], maxNumTokens: number, r: Random): void {
  while (a.length + b.length > maxNumTokens) {
    const longer = a.length > b.length ? a : b;
    if (r.next() < 0.5) longer.shift();
    else longer.pop();
  }
}
