// Batches for fine-tuning on {text, textPair?, label}: labels as strings or integers, mapped
// to class ids in a stable order.
import { tensor } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import type { Tensor } from '../torch/tensor.js';
import type { Tokenizer } from './tokenizer.js';
import { expectArray } from '../torch/arrays.js';

export interface ClassificationRecord {
  text: string;
  textPair?: string;
  label?: string | number;
}

export interface ClassificationBatch {
  inputIds: Tensor;
  attentionMask: Tensor;
  tokenTypeIds: Tensor;
  labels?: Tensor;
}

/**
 * What is wrong with a record's label for single-label classification, or null when it is
 * fine (a string or an integer). A fraction is a regression target and a list a multi-label
 * one: both are told as such, never read as classes.
 */
export function labelProblem(label: unknown): string | null {
  if (typeof label === 'string' || (typeof label === 'number' && Number.isInteger(label))) return null;
  if (typeof label === 'number') {
    return `"label" is ${label}, not an integer: a number to predict is regression, which needs --task regression (not supported yet); classification labels are strings or integers`;
  }
  if (Array.isArray(label)) {
    return `"label" is the list ${JSON.stringify(label)}: several labels per record are multi-label classification, which needs --task multi-label (not supported yet); single-label classification takes one string or integer`;
  }
  return `"label" must be a string or an integer${label === undefined ? ' and is missing' : `, got ${JSON.stringify(label)}`}`;
}

/**
 * Class names in a stable order: numbers ascending, then strings sorted. A fraction or a list
 * as a label is an error naming the record (see labelProblem).
 */
export function labelSet(records: readonly ClassificationRecord[]): (string | number)[] {
  expectArray(records, 'labelSet(): records');
  records.forEach((r, i) => {
    const problem = r.label === undefined ? null : labelProblem(r.label);
    if (problem) throw new TypeError(`record ${i + 1}: ${problem}`);
  });
  const labels = [...new Set(records.map((r) => r.label).filter((l): l is string | number => l !== undefined))];
  return labels.sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));
}

export class ClassificationCollator {
  readonly tokenizer: Tokenizer;
  readonly labels: (string | number)[];
  readonly maxLength: number;
  readonly padToMultipleOf: number;
  readonly #ids: Map<string | number, number>;

  constructor(tokenizer: Tokenizer, labels: readonly (string | number)[], options: { maxLength?: number; padToMultipleOf?: number } = {}) {
    expectArray(labels, 'new ClassificationCollator(): labels');
    if (labels.length === 0 || labels.some((l) => typeof l !== 'string' && typeof l !== 'number')) throw new TypeError('new ClassificationCollator(): labels must be a non-empty array of strings or numbers');
    this.tokenizer = tokenizer;
    this.labels = [...labels];
    this.#ids = new Map(this.labels.map((l, i) => [l, i]));
    this.maxLength = options.maxLength ?? 128;
    this.padToMultipleOf = options.padToMultipleOf ?? 8;
  }

  labelId(label: string | number): number {
    const id = this.#ids.get(label);
    if (id === undefined) throw new RangeError(`label ${describeValue(label)} is not one of ${describeValue(this.labels)}`);
    return id;
  }

  async collate(records: readonly ClassificationRecord[]): Promise<ClassificationBatch> {
    expectArray(records, 'collate(): records');
    if (records.length === 0) throw new RangeError('collate(): needs at least one record');
    records.forEach((r, i) => {
      if (typeof r?.text !== 'string') throw new TypeError(`record ${i} has no text string`);
    });
    const encodings = await Promise.all(records.map((r) => this.tokenizer.encode(r.text, r.textPair ?? null, { maxLength: this.maxLength })));
    const longest = encodings.reduce((n, e) => Math.max(n, e.ids.length), 0);
    const length = Math.ceil(longest / this.padToMultipleOf) * this.padToMultipleOf;
    const pad = (xs: number[], value: number) => [...xs, ...new Array<number>(length - xs.length).fill(value)];
    const batch: ClassificationBatch = {
      inputIds: tensor(encodings.map((e) => pad(e.ids, this.tokenizer.padId)), { dtype: 'int64' }),
      attentionMask: tensor(encodings.map((e) => pad(e.attentionMask, 0)), { dtype: 'int64' }),
      tokenTypeIds: tensor(encodings.map((e) => pad(e.typeIds, 0)), { dtype: 'int64' }),
    };
    if (records.every((r) => r.label !== undefined)) batch.labels = tensor(records.map((r) => this.labelId(r.label!)), { dtype: 'int64' });
    return batch;
  }
}
