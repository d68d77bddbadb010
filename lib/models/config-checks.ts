// Checks every family's config shares: a field's type first, then its range, in a message
// that names the config class and the field ("BertConfig: hidden_size must be ...").
import { describeValue } from '../torch/describe.js';
import { LIMITS } from './limits.js';

/** float32's smallest normal number: a layer_norm_eps below it is 0 once in a float32 kernel. */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/** A value as a message shows it: numbers plainly, strings in quotes with their type named. */
export function describeField(v: unknown): string {
  if (typeof v === 'string') return `the string ${describeValue(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === undefined) return String(v);
  if (v === null) return 'null';
  // Bounded, whatever the value: JSON.stringify would walk all of a huge (or sparse) array.
  if (typeof v === 'object') return describeValue(v);
  return typeof v;
}

export interface NumberRule {
  integer?: boolean;
  min: number;
  max: number;
  /** The range as messages write it, when it is not [min, max]. */
  range?: string;
  nullable?: boolean;
}

/** Type first (a JSON number, an integer where one is needed), then the range. Strings such as "0.1" are refused, not coerced. */
export function checkNumber(who: string, key: string, v: unknown, rule: NumberRule): void {
  if (v === null && rule.nullable) return;
  const kind = rule.integer ? 'an integer' : 'a number';
  const range = rule.range ?? `[${rule.min}, ${rule.max}]`;
  const expected = `${rule.nullable ? 'null or ' : ''}${kind} in ${range}`;
  if (typeof v !== 'number' || Number.isNaN(v) || (rule.integer && !Number.isInteger(v))) {
    const why = typeof v === 'number' && !Number.isNaN(v) ? ` (${v} is not an integer)` : '';
    throw new TypeError(`${who}: ${key} must be ${expected}, got ${describeField(v)}${why}`);
  }
  if (!(v >= rule.min && v <= rule.max)) throw new RangeError(`${who}: ${key} must be ${expected}, got ${describeField(v)}`);
}

export function checkBoolean(who: string, key: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new TypeError(`${who}: ${key} must be true or false, got ${describeField(v)}`);
}

export function checkChoice(who: string, key: string, v: unknown, choices: readonly string[]): void {
  if (typeof v !== 'string' || !choices.includes(v)) throw new RangeError(`${who}: ${key} ${describeValue(v)} is not supported (${choices.join(', ')})`);
}

/** layer_norm_eps (or norm_eps): positive and normal in float32; above 1 it outweighs the variance it is added to. */
export function checkEps(who: string, key: string, v: unknown): void {
  checkNumber(who, key, v, { min: FLOAT32_MIN_NORMAL, max: 1, range: "[1.18e-38 (float32's smallest normal), 1]" });
}

/** A dropout probability, or null where the field may be unset. */
export function checkProbability(who: string, key: string, v: unknown, nullable = false): void {
  checkNumber(who, key, v, { min: 0, max: 1, nullable });
}

/** An encoder's sizes, in the order given: integers in [1, LIMITS[key]]; then attention heads that divide the hidden size. */
export function checkEncoderSizes<K extends keyof typeof LIMITS>(who: string, fields: Record<K, unknown> & { hidden_size: number; num_attention_heads: number }, keys: readonly K[]): void {
  for (const key of keys) checkNumber(who, key, fields[key], { integer: true, min: 1, max: LIMITS[key] });
  if (fields.hidden_size % fields.num_attention_heads !== 0) {
    throw new RangeError(`${who}: the hidden size (${fields.hidden_size}) is not a multiple of the number of attention heads (${fields.num_attention_heads})`);
  }
}
