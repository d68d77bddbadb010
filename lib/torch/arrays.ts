// Bounds on the JavaScript arrays the API takes and gives back. An array's `length` says
// nothing about what it holds (`a.length = 2 ** 32 - 1` makes four billion holes in O(1)),
// so what walks a user's array checks it first, and what builds nested arrays counts them
// before it starts: a mistake is an error at once, not minutes of work and a V8 abort.
import { getHeapStatistics } from 'node:v8';

import { describeValue } from './describe.js';

/** V8's longest array: one element more is "Invalid array length" after it was filled. */
export const MAX_ARRAY_LENGTH = 2 ** 27 - 3;

/** The most arrays toArray() builds for one tensor (each costs V8 about 50 bytes and a GC slot). */
export const MAX_NESTED_ARRAYS = 2 ** 24;

/** What an array's elements are called in messages: 'params', 'data[3]', 'shape'. */
type What = string;

/**
 * Refuses an array that is longer than `maxLength` or has a hole (an index it does not hold,
 * as `new Array(n)` or `a.length = n` leave): O(1) for the length, and the scan for holes
 * stops at the first, so it costs at most the elements the array really has.
 */
export function checkDenseArray(value: readonly unknown[], what: What, maxLength = MAX_ARRAY_LENGTH): void {
  const length = value.length;
  if (length > maxLength) {
    throw new RangeError(
      maxLength === MAX_ARRAY_LENGTH
        ? `${what} has length ${length}, more than the ${MAX_ARRAY_LENGTH} elements a JavaScript array can hold, so it is a sparse array (mostly empty slots); pass an array that holds every element`
        : `${what} has length ${length}, more than the ${maxLength} elements allowed here`,
    );
  }
  for (let i = 0; i < length; i++) {
    if (!(i in value)) throw holeError(value, what, i);
  }
}

/**
 * An argument that must be an array: a TypeError naming it when it is something else, then
 * checkDenseArray, so no function walks a huge sparse array or reports an engine message.
 */
export function expectArray<T>(value: readonly T[] | unknown, what: What, maxLength = MAX_ARRAY_LENGTH): asserts value is readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} must be an array, got ${describeValue(value)}`);
  checkDenseArray(value, what, maxLength);
}

/** The TypeError for a hole at index i of a sparse array. */
export function holeError(value: readonly unknown[], what: What, i: number): TypeError {
  return new TypeError(`${what} is a sparse array: index ${i} of its length ${value.length} is an empty slot (a hole); pass an array that holds every element`);
}

/**
 * The elements of an iterable argument as an array, checked by checkDenseArray (an array) or
 * counted while iterating (any other iterable), so neither a huge sparse array nor an endless
 * generator is walked past `maxLength`.
 */
export function boundedList<T>(items: Iterable<T>, what: What, maxLength = MAX_ARRAY_LENGTH): T[] {
  if (Array.isArray(items)) {
    checkDenseArray(items, what, maxLength);
    return items.slice() as T[];
  }
  if (items === null || items === undefined || typeof (items as Partial<Iterable<T>>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what} must be an array or another iterable, got ${items === null ? 'null' : typeof items}`);
  }
  const out: T[] = [];
  for (const item of items) {
    if (out.length === maxLength) throw new RangeError(`${what} gave more than ${maxLength} elements`);
    out.push(item);
  }
  return out;
}

/**
 * Refuses a toArray() whose result V8 cannot hold, before anything is built: more than
 * MAX_NESTED_ARRAYS arrays (a shape like [3e8, 0] is 3e8 empty ones), a dimension longer
 * than V8's longest array, or more elements than the JavaScript heap has room for.
 * `readElements` is false for the count of arrays alone, which needs no read-back.
 */
export function checkNestedArrays(shape: readonly number[], readElements: boolean): void {
  const about = `toArray(): a tensor of shape [${shape.join(', ')}]`;
  const advice = 'use toTypedArray() (its elements in row-major order, without the nesting) or read it in pieces';
  // Arrays at each level: 1, shape[0], shape[0] * shape[1], ... for all but the last dimension.
  let arrays = 0;
  let atLevel = 1;
  for (let d = 0; d < shape.length && atLevel > 0; d++) {
    arrays += atLevel;
    if (arrays > MAX_NESTED_ARRAYS) {
      throw new RangeError(`${about} would be ${d + 1 < shape.length ? 'more than ' : ''}${arrays} nested arrays, more than the ${MAX_NESTED_ARRAYS} toArray() builds; ${advice}`);
    }
    atLevel *= shape[d]!;
  }
  if (!readElements) return;
  const longest = shape.reduce((a, b) => Math.max(a, b), 0);
  if (longest > MAX_ARRAY_LENGTH) {
    throw new RangeError(`${about} needs an array of ${longest} elements, more than the ${MAX_ARRAY_LENGTH} a JavaScript array holds; ${advice}`);
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel > 2 ** 20) {
    // A number or boolean is 8 bytes in an array, an array about 50 more.
    const need = numel * 8 + arrays * 50;
    const heap = getHeapStatistics();
    const room = heap.heap_size_limit - heap.used_heap_size;
    if (need > room) {
      const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
      throw new RangeError(`${about} needs about ${mb(need)} of JavaScript heap, and V8 has ${mb(Math.max(0, room))} left (node --max-old-space-size raises the limit); ${advice}`);
    }
  }
}
