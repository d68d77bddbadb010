// A source of training batches whose position can be saved and restored: a pretraining
// stream and the masking collator together (the collator's generator is part of the position).
import { MlmCollator, type MlmBatch, type MlmCollatorOptions } from '../data/mlm-collator.js';
import { PretrainingStream, type StreamPosition } from '../data/pretraining-stream.js';
import { Random } from '../data/random.js';
import { describeValue } from '../torch/describe.js';

export interface BatchSource<B> {
  next(): B;
  position(): unknown;
  seek(position: unknown): void;
}

export interface PretrainingPosition {
  stream: StreamPosition;
  maskingRandom: [number, number, number, number];
}

export class PretrainingBatches implements BatchSource<MlmBatch> {
  readonly stream: PretrainingStream;
  readonly collator: MlmCollator;
  readonly batchSize: number;

  constructor(stream: PretrainingStream, collator: MlmCollator | MlmCollatorOptions, batchSize: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${describeValue(batchSize)}`);
    this.stream = stream;
    this.collator = collator instanceof MlmCollator ? collator : new MlmCollator(collator);
    this.batchSize = batchSize;
  }

  next(): MlmBatch {
    return this.collator.collate(this.stream.take(this.batchSize));
  }

  position(): PretrainingPosition {
    return { stream: this.stream.position(), maskingRandom: this.collator.random.state() };
  }

  seek(position: unknown): void {
    const p = position as PretrainingPosition;
    if (!p || typeof p !== 'object' || !p.stream || !Array.isArray(p.maskingRandom)) throw new TypeError('not a pretraining batch position');
    this.stream.seek(p.stream);
    this.collator.random = Random.fromState(p.maskingRandom);
  }
}
