// Batches for masked language modelling, as transformers' DataCollatorForLanguageModeling
// and DataCollatorForWholeWordMask make them: dynamic masking at a configurable rate, the
// 80/10/10 split configurable, never a special or padding token, labels -100 elsewhere.
import { tensor } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import type { Tensor } from '../torch/tensor.js';
import { Random } from './random.js';
import { expectArray } from '../torch/arrays.js';

export interface Example {
  inputIds: readonly number[];
  tokenTypeIds?: readonly number[];
  /** Word of each token (null for special tokens), for whole-word masking. */
  wordIds?: readonly (number | null)[];
  /** NSP: 0 when B follows A, 1 when B is random. */
  nextSentenceLabel?: number;
}

export interface MlmBatch {
  inputIds: Tensor;
  attentionMask: Tensor;
  tokenTypeIds: Tensor;
  /** Original ids at masked positions, -100 elsewhere. */
  labels: Tensor;
  nextSentenceLabel?: Tensor;
}

export interface MlmCollatorOptions {
  vocabSize: number;
  maskId: number;
  padId: number;
  /** Ids never masked nor used as random replacements ([CLS], [SEP], [PAD], ...). */
  specialIds: readonly number[];
  /** Share of tokens to predict: 0.15 as BERT, 0.30 as MosaicBERT. */
  maskProbability?: number;
  /** Of the chosen tokens: replaced by [MASK]. */
  maskReplaceProbability?: number;
  /** Of the chosen tokens: replaced by a random token (the rest stay unchanged). */
  randomReplaceProbability?: number;
  wholeWordMask?: boolean;
  /** Pad the length to a multiple of this (8 suits tensor cores and AMX tiles). */
  padToMultipleOf?: number;
  seed?: number;
}

export class MlmCollator {
  readonly options: Required<Omit<MlmCollatorOptions, 'seed'>>;
  random: Random;
  readonly #special: Set<number>;
  /** Special ids inside the vocabulary, ascending: the ids a random replacement skips. */
  readonly #specialSorted: number[];
  readonly #replaceableCount: number;

  constructor(options: MlmCollatorOptions) {
    const o = {
      maskProbability: 0.15,
      maskReplaceProbability: 0.8,
      randomReplaceProbability: 0.1,
      wholeWordMask: false,
      padToMultipleOf: 8,
      ...options,
    };
    for (const key of ['maskProbability', 'maskReplaceProbability', 'randomReplaceProbability'] as const) {
      if (!(o[key] >= 0 && o[key] <= 1)) throw new RangeError(`${key} must be in [0, 1], got ${describeValue(o[key])}`);
    }
    if (o.maskReplaceProbability + o.randomReplaceProbability > 1) throw new RangeError('maskReplaceProbability + randomReplaceProbability must not exceed 1');
    if (!Number.isInteger(o.padToMultipleOf) || o.padToMultipleOf < 1) throw new RangeError(`padToMultipleOf must be a positive integer, got ${describeValue(o.padToMultipleOf)}`);
    if (!Number.isInteger(o.vocabSize) || o.vocabSize < 1) throw new RangeError(`vocabSize must be a positive integer, got ${describeValue(o.vocabSize)}`);
    const { seed, ...rest } = o;
    this.options = rest;
    this.random = new Random(seed ?? 0);
    this.#special = new Set([...o.specialIds, o.padId, o.maskId]);
    // Counted, not listed: a list of every id would cost memory in the vocabulary's size.
    this.#specialSorted = [...this.#special].filter((i) => i >= 0 && i < o.vocabSize).sort((a, b) => a - b);
    this.#replaceableCount = o.vocabSize - this.#specialSorted.length;
    if (this.#replaceableCount < 1 && o.randomReplaceProbability > 0) throw new RangeError('every id of the vocabulary is special: nothing to draw random replacements from');
  }

  /** The k-th id (from 0) that is not special. */
  #replaceableId(k: number): number {
    let id = k;
    for (const special of this.#specialSorted) if (special <= id) id++;
    return id;
  }

  /** Which positions to predict: each eligible token (or word) with maskProbability. */
  #choose(example: Example): boolean[] {
    const ids = example.inputIds;
    const chosen = new Array<boolean>(ids.length).fill(false);
    const p = this.options.maskProbability;
    if (!this.options.wholeWordMask || !example.wordIds) {
      for (let i = 0; i < ids.length; i++) if (!this.#special.has(ids[i]!)) chosen[i] = this.random.next() < p;
      return chosen;
    }
    // Whole words: the tokens of a word are chosen together. Word ids restart per segment, so
    // a word is a run of equal word ids between special tokens.
    let i = 0;
    while (i < ids.length) {
      if (this.#special.has(ids[i]!) || example.wordIds[i] === null || example.wordIds[i] === undefined) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < ids.length && example.wordIds[j] === example.wordIds[i] && !this.#special.has(ids[j]!)) j++;
      const pick = this.random.next() < p;
      for (let k = i; k < j; k++) chosen[k] = pick;
      i = j;
    }
    return chosen;
  }

  /** Masks one example: the new ids and the labels. */
  mask(example: Example): { inputIds: number[]; labels: number[] } {
    const chosen = this.#choose(example);
    const inputIds = [...example.inputIds];
    const labels = new Array<number>(inputIds.length).fill(-100);
    const { maskReplaceProbability: toMask, randomReplaceProbability: toRandom } = this.options;
    for (let i = 0; i < inputIds.length; i++) {
      if (!chosen[i]) continue;
      labels[i] = inputIds[i]!;
      const r = this.random.next();
      if (r < toMask) inputIds[i] = this.options.maskId;
      else if (r < toMask + toRandom) inputIds[i] = this.#replaceableId(this.random.int(this.#replaceableCount));
    }
    return { inputIds, labels };
  }

  /** Pads, masks and stacks examples into int64 tensors. */
  collate(examples: readonly Example[]): MlmBatch {
    expectArray(examples, 'collate(): examples');
    if (examples.length === 0) throw new RangeError('collate(): needs at least one example');
    const m = this.options.padToMultipleOf;
    const longest = examples.reduce((n, e) => Math.max(n, e.inputIds.length), 0);
    const length = Math.ceil(longest / m) * m;
    const ids: number[][] = [];
    const masks: number[][] = [];
    const types: number[][] = [];
    const labels: number[][] = [];
    for (const e of examples) {
      if (e.tokenTypeIds && e.tokenTypeIds.length !== e.inputIds.length) throw new RangeError('an example has tokenTypeIds of another length than its inputIds');
      const masked = this.mask(e);
      const pad = length - e.inputIds.length;
      ids.push([...masked.inputIds, ...new Array<number>(pad).fill(this.options.padId)]);
      masks.push([...new Array<number>(e.inputIds.length).fill(1), ...new Array<number>(pad).fill(0)]);
      types.push([...(e.tokenTypeIds ?? new Array<number>(e.inputIds.length).fill(0)), ...new Array<number>(pad).fill(0)]);
      labels.push([...masked.labels, ...new Array<number>(pad).fill(-100)]);
    }
    const batch: MlmBatch = {
      inputIds: tensor(ids, { dtype: 'int64' }),
      attentionMask: tensor(masks, { dtype: 'int64' }),
      tokenTypeIds: tensor(types, { dtype: 'int64' }),
      labels: tensor(labels, { dtype: 'int64' }),
    };
    if (examples.every((e) => e.nextSentenceLabel !== undefined)) batch.nextSentenceLabel = tensor(examples.map((e) => e.nextSentenceLabel!), { dtype: 'int64' });
    return batch;
  }
}
