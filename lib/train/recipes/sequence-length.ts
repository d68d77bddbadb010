// maxLength, and seqLen, its older name: either may be given, not both with different values.
import { OptionError, type OptionReader } from './options.js';

export function sequenceLength(o: { maxLength?: number; seqLen?: number }, options: OptionReader, fallback = 128): number {
  if (o.maxLength !== undefined && o.seqLen !== undefined && o.maxLength !== o.seqLen) {
    throw new OptionError(`${options.name('maxLength')} and ${options.name('seqLen')} are the same option: give one of them (got ${o.maxLength} and ${o.seqLen})`);
  }
  const key = o.maxLength === undefined && o.seqLen !== undefined ? 'seqLen' : 'maxLength';
  return options.integer(o.maxLength ?? o.seqLen, key, fallback, 8);
}
