// The checks an encoder makes of its inputs before running them: a clear error instead of a
// libtorch one (BERT's, shared by RoBERTa, XLM-RoBERTa, ELECTRA and DeBERTa-v2).
import type { Tensor } from '../torch/tensor.js';
import type { EncoderInputs } from './tasks.js';

function isTensor(value: unknown): value is Tensor {
  return value !== null && typeof value === 'object' && 'handle' in value;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Throws unless every id in t is in [0, below): "`name` contains 7, outside `what`". */
export function checkIds(name: string, t: Tensor, below: number, what: string): void {
  if (t.numel() === 0) return;
  const lo = t.min().item() as number;
  const hi = t.max().item() as number;
  if (lo < 0 || hi >= below) throw new RangeError(`${name} contains ${lo < 0 ? lo : hi}, outside ${what}`);
}

/**
 * inputIds: a (batch, length) int64 or int32 tensor of ids in the vocabulary, at most
 * maxLength long (null: positions do not bound the length); the attention mask and token type
 * ids of the same shape, position ids (rows, length).
 */
export function checkEncoderInputs(inputs: EncoderInputs, vocabSize: number, maxLength: number | null): void {
  const { inputIds } = inputs;
  if (!isTensor(inputIds)) throw new TypeError('inputIds must be a Tensor');
  if (inputIds.dtype !== 'int64' && inputIds.dtype !== 'int32') throw new TypeError(`inputIds must be int64 or int32, got ${inputIds.dtype}`);
  const shape = inputIds.shape;
  if (shape.length !== 2) throw new RangeError(`inputIds must have shape (batch, length), got [${shape.join(', ')}]`);
  if (maxLength !== null && shape[1]! > maxLength) throw new RangeError(`the sequence length ${shape[1]} exceeds max_position_embeddings (${maxLength})`);
  if (inputIds.numel() > 0) {
    const lo = inputIds.min().item() as number;
    const hi = inputIds.max().item() as number;
    if (lo < 0 || hi >= vocabSize) throw new RangeError(`inputIds contains id ${lo < 0 ? lo : hi}, outside the vocabulary of ${vocabSize}`);
  }
  for (const name of ['attentionMask', 'tokenTypeIds', 'positionIds'] as const) {
    const t = inputs[name];
    if (t === undefined || t === null) continue;
    if (!isTensor(t)) throw new TypeError(`${name} must be a Tensor or null`);
    if (name === 'positionIds' ? t.dim() !== 2 || t.shape[1] !== shape[1] : !sameShape(t.shape, shape)) {
      throw new RangeError(`${name} has shape [${t.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
    }
  }
}
