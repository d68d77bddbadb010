// Fine-tuning batches from labelled records: tokenised once, then shuffled per epoch from a
// seed, with a position that can be saved and restored.
import type { ClassificationRecord } from '../data/classification-collator.js';
import { Random } from '../data/random.js';
import type { Tokenizer, Encoding } from '../data/tokenizer.js';
import { tensor } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import type { Tensor } from '../torch/tensor.js';
import type { BatchSource } from './batches.js';
import { expectArray } from '../torch/arrays.js';

export interface ClassificationBatch {
  inputIds: Tensor;
  attentionMask: Tensor;
  tokenTypeIds: Tensor;
  labels: Tensor;
}

export interface EncodedRecords {
  encodings: Encoding[];
  labels: number[];
  padId: number;
}

/** Tokenises records (text and optional textPair) and maps their labels to ids. */
export async function encodeRecords(tokenizer: Tokenizer, records: readonly ClassificationRecord[], labelIds: ReadonlyMap<string | number, number>, maxLength: number): Promise<EncodedRecords> {
  expectArray(records, 'encodeRecords(): records');
  if (!(labelIds instanceof Map)) throw new TypeError(`encodeRecords(): labelIds must be a Map of label → id, got ${describeValue(labelIds)}`);
  const labels = records.map((r, i) => {
    const id = r.label === undefined ? undefined : labelIds.get(r.label);
    if (id === undefined) throw new RangeError(`record ${i + 1}: label ${describeValue(r.label)} is not one of ${describeValue([...labelIds.keys()])}`);
    return id;
  });
  const encodings = await Promise.all(records.map((r) => tokenizer.encode(r.text, r.textPair ?? null, { maxLength })));
  return { encodings, labels, padId: tokenizer.padId };
}

function expectEncodedRecords(records: EncodedRecords, who: string): void {
  const r = records as Partial<EncodedRecords> | null;
  if (r === null || typeof r !== 'object' || !Array.isArray(r.encodings) || !Array.isArray(r.labels) || typeof r.padId !== 'number' || r.labels.length !== r.encodings.length) {
    throw new TypeError(`${who}: records must be what encodeRecords() returns ({ encodings, labels, padId }), got ${describeValue(records)}`);
  }
}

/** Stacks encodings into padded int64 tensors (length a multiple of 8). */
export function collateEncoded(records: EncodedRecords, indices: readonly number[]): ClassificationBatch {
  expectEncodedRecords(records, 'collateEncoded()');
  expectArray(indices, 'collateEncoded(): indices');
  for (const i of indices) if (!(Number.isInteger(i) && i >= 0 && i < records.encodings.length)) throw new RangeError(`collateEncoded(): index ${describeValue(i)} is not a record (0 to ${records.encodings.length - 1})`);
  const length = Math.ceil(indices.reduce((n, i) => Math.max(n, records.encodings[i]!.ids.length), 0) / 8) * 8;
  const pad = (xs: number[], value: number) => [...xs, ...new Array<number>(length - xs.length).fill(value)];
  return {
    inputIds: tensor(indices.map((i) => pad(records.encodings[i]!.ids, records.padId)), { dtype: 'int64' }),
    attentionMask: tensor(indices.map((i) => pad(records.encodings[i]!.attentionMask, 0)), { dtype: 'int64' }),
    tokenTypeIds: tensor(indices.map((i) => pad(records.encodings[i]!.typeIds, 0)), { dtype: 'int64' }),
    labels: tensor(indices.map((i) => records.labels[i]!), { dtype: 'int64' }),
  };
}

export interface ClassificationPosition {
  epoch: number;
  cursor: number;
  records: number;
  seed: number;
}

export class ClassificationBatches implements BatchSource<ClassificationBatch> {
  readonly records: EncodedRecords;
  readonly batchSize: number;
  readonly seed: number;
  #epoch = 0;
  #cursor = 0;
  #order: number[] = [];

  constructor(records: EncodedRecords, batchSize: number, seed = 0) {
    expectEncodedRecords(records, 'new ClassificationBatches()');
    if (records.encodings.length === 0) throw new RangeError('no training records');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`new ClassificationBatches(): batchSize must be a positive integer, got ${describeValue(batchSize)}`);
    this.records = records;
    this.batchSize = batchSize;
    this.seed = seed;
    this.#shuffle();
  }

  #shuffle(): void {
    const r = new Random(this.seed + this.#epoch * 7919);
    this.#order = this.records.encodings.map((_, i) => i);
    for (let i = this.#order.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [this.#order[i], this.#order[j]] = [this.#order[j]!, this.#order[i]!];
    }
  }

  /** Batches per epoch. */
  get epochLength(): number {
    return Math.ceil(this.records.encodings.length / this.batchSize);
  }

  next(): ClassificationBatch {
    if (this.#cursor >= this.#order.length) {
      this.#epoch++;
      this.#cursor = 0;
      this.#shuffle();
    }
    const indices = this.#order.slice(this.#cursor, this.#cursor + this.batchSize);
    this.#cursor += indices.length;
    return collateEncoded(this.records, indices);
  }

  /**
   * Where the next batch starts: the epoch (whose order the seed gives again) and the cursor in
   * it, with the record count and seed it holds for, so that seek() refuses other records.
   */
  position(): ClassificationPosition {
    return { epoch: this.#epoch, cursor: this.#cursor, records: this.records.encodings.length, seed: this.seed };
  }

  /** Continues from a position(): the batches that follow are those that followed it. */
  seek(position: unknown): void {
    const p = position as Partial<ClassificationPosition> | null;
    const count = this.records.encodings.length;
    if (p === null || typeof p !== 'object' || !Number.isInteger(p.epoch) || p.epoch! < 0 || !Number.isInteger(p.cursor) || p.cursor! < 0 || p.cursor! > count) {
      throw new TypeError(`not a classification batch position for ${count} records: ${describeValue(position)}`);
    }
    // Written by older versions without them: then there is nothing to compare.
    if ((p.records !== undefined && p.records !== count) || (p.seed !== undefined && p.seed !== this.seed)) {
      throw new RangeError(`the saved position is for ${p.records === undefined ? '?' : describeValue(p.records)} training records shuffled with seed ${p.seed === undefined ? '?' : describeValue(p.seed)}, these are ${count} records with seed ${this.seed}: resume with the same training records and seed`);
    }
    this.#epoch = p.epoch!;
    this.#cursor = p.cursor!;
    this.#shuffle();
  }
}

/** Batches in order, for evaluation. */
export function* evaluationBatches(records: EncodedRecords, batchSize: number): Generator<ClassificationBatch> {
  for (let start = 0; start < records.encodings.length; start += batchSize) {
    const end = Math.min(start + batchSize, records.encodings.length);
    yield collateEncoded(records, Array.from({ length: end - start }, (_, k) => start + k));
  }
}
