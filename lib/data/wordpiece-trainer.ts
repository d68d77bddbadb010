// Learning a WordPiece vocabulary from word counts, as the tokenizers library's
// WordPieceTrainer does (a BPE trainer whose continuation pieces carry '##'): start from
// characters, merge the most frequent adjacent pair until the vocabulary is full or the best
// pair is rarer than minFrequency. The tokenizers npm package encodes with the result; its
// Node binding exposes no trainer settings (vocabulary size, minimum frequency, special
// tokens), which is why this step lives here. With an empty prefix and the 256 byte symbols
// as the alphabet, the same merges make a byte-level BPE (RoBERTa's tokenizer).
import { describeValue } from '../torch/describe.js';
import { expectArray } from '../torch/arrays.js';

export interface WordPieceTrainingOptions {
  vocabSize: number;
  minFrequency?: number;
  specialTokens: readonly string[];
  /** Most distinct characters kept (the rarest dropped), as limit_alphabet. */
  limitAlphabet?: number;
  prefix?: string;
  /** Symbols in the vocabulary whether or not the corpus has them (byte-level BPE's 256 bytes). */
  initialAlphabet?: readonly string[];
}

export interface LearnedMerges {
  /** The vocabulary, tokens in id order: special tokens, the alphabet, then one token per merge. */
  tokens: string[];
  /** The merges in the order they were learned, as BPE's merges list them. */
  merges: [string, string][];
}

/** A max-heap of [count, pair key] entries, with stale entries skipped on pop. */
class PairHeap {
  readonly #counts: number[] = [];
  readonly #keys: number[] = [];

  push(count: number, key: number): void {
    this.#counts.push(count);
    this.#keys.push(key);
    let i = this.#counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#above(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] | undefined {
    if (this.#counts.length === 0) return undefined;
    const top: [number, number] = [this.#counts[0]!, this.#keys[0]!];
    const lastCount = this.#counts.pop()!;
    const lastKey = this.#keys.pop()!;
    if (this.#counts.length > 0) {
      this.#counts[0] = lastCount;
      this.#keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.#counts.length && this.#above(l, best)) best = l;
        if (r < this.#counts.length && this.#above(r, best)) best = r;
        if (best === i) break;
        this.#swap(i, best);
        i = best;
      }
    }
    return top;
  }

  // Higher count first; among equal counts the smaller key (earlier-made pair) first, so
  // training is deterministic.
  #above(i: number, j: number): boolean {
    return this.#counts[i]! > this.#counts[j]! || (this.#counts[i] === this.#counts[j] && this.#keys[i]! < this.#keys[j]!);
  }

  #swap(i: number, j: number): void {
    [this.#counts[i], this.#counts[j]] = [this.#counts[j]!, this.#counts[i]!];
    [this.#keys[i], this.#keys[j]] = [this.#keys[j]!, this.#keys[i]!];
  }
}

const KEY_SCALE = 2 ** 24;

/** Vocabulary (tokens in id order) learned from word counts. */
export function trainWordPiece(wordCounts: ReadonlyMap<string, number>, options: WordPieceTrainingOptions): string[] {
  return learnMerges(wordCounts, options).tokens;
}

/** The vocabulary and the merges learned from word counts (see trainWordPiece). */
export function learnMerges(wordCounts: ReadonlyMap<string, number>, options: WordPieceTrainingOptions): LearnedMerges {
  if (!(wordCounts instanceof Map)) throw new TypeError(`trainWordPiece(): wordCounts must be a Map of word → count, got ${describeValue(wordCounts)}`);
  if (options === null || typeof options !== 'object') throw new TypeError(`trainWordPiece(): options must be an object with vocabSize and specialTokens, got ${describeValue(options)}`);
  expectArray(options.specialTokens, 'trainWordPiece(): options.specialTokens');
  const prefix = options.prefix ?? '##';
  const minFrequency = options.minFrequency ?? 0;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < options.specialTokens.length + 1) {
    throw new RangeError(`vocabSize must be an integer above the ${options.specialTokens.length} special tokens, got ${describeValue(options.vocabSize)}`);
  }
  if (options.vocabSize >= KEY_SCALE) throw new RangeError(`vocabSize must be below ${KEY_SCALE}`);
  if (wordCounts.size === 0) throw new Error('cannot train a vocabulary: the corpus has no words');

  const tokens: string[] = [...options.specialTokens];
  const ids = new Map<string, number>(tokens.map((t, i) => [t, i]));
  const idOf = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(token);
      ids.set(token, id);
    }
    return id;
  };

  // The alphabet: every character, by frequency when it must be limited, added by code point.
  const charCounts = new Map<string, number>();
  for (const [word, count] of wordCounts) for (const c of word) charCounts.set(c, (charCounts.get(c) ?? 0) + count);
  let alphabet = [...charCounts.keys()];
  if (options.limitAlphabet !== undefined && alphabet.length > options.limitAlphabet) {
    alphabet = alphabet.sort((a, b) => charCounts.get(b)! - charCounts.get(a)!).slice(0, options.limitAlphabet);
  }
  const kept = new Set([...alphabet, ...(options.initialAlphabet ?? [])]);
  for (const c of [...kept].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)) idOf(c);

  // Words as symbol ids: first character plain, the rest as continuation pieces.
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [word, count] of wordCounts) {
    const chars = [...word];
    if (chars.some((c) => !kept.has(c))) continue;
    words.push(chars.map((c, i) => idOf(i === 0 ? c : prefix + c)));
    counts.push(count);
  }

  const pairCounts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const add = (key: number, delta: number, word: number) => {
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + delta);
    if (delta > 0) {
      let set = where.get(key);
      if (!set) where.set(key, (set = new Set()));
      set.add(word);
    }
  };
  words.forEach((symbols, w) => {
    for (let i = 0; i + 1 < symbols.length; i++) add(symbols[i]! * KEY_SCALE + symbols[i + 1]!, counts[w]!, w);
  });
  const merges: [string, string][] = [];
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  while (tokens.length < options.vocabSize) {
    const top = heap.pop();
    if (!top) break;
    const [count, key] = top;
    const current = pairCounts.get(key) ?? 0;
    if (current !== count) {
      if (current > 0) heap.push(current, key);
      continue;
    }
    if (count < Math.max(1, minFrequency)) break;
    const a = Math.floor(key / KEY_SCALE);
    const b = key - a * KEY_SCALE;
    const merged = tokens[a]! + (tokens[b]!.startsWith(prefix) ? tokens[b]!.slice(prefix.length) : tokens[b]!);
    const m = idOf(merged);
    merges.push([tokens[a]!, tokens[b]!]);
    const touched = new Set<number>();
    for (const w of where.get(key) ?? []) {
      const symbols = words[w]!;
      const c = counts[w]!;
      for (let i = 0; i + 1 < symbols.length; i++) {
        if (symbols[i] !== a || symbols[i + 1] !== b) continue;
        if (i > 0) {
          add(symbols[i - 1]! * KEY_SCALE + a, -c, w);
          add(symbols[i - 1]! * KEY_SCALE + m, c, w);
          touched.add(symbols[i - 1]! * KEY_SCALE + m).add(symbols[i - 1]! * KEY_SCALE + a);
        }
        if (i + 2 < symbols.length) {
          add(b * KEY_SCALE + symbols[i + 2]!, -c, w);
          add(m * KEY_SCALE + symbols[i + 2]!, c, w);
          touched.add(m * KEY_SCALE + symbols[i + 2]!).add(b * KEY_SCALE + symbols[i + 2]!);
        }
        add(key, -c, w);
        symbols.splice(i, 2, m);
      }
    }
    where.delete(key);
    for (const k of touched) {
      const n = pairCounts.get(k) ?? 0;
      if (n > 0) heap.push(n, k);
    }
  }
  return { tokens, merges };
}
