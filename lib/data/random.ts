import { describeValue } from '../torch/describe.js';

/**
 * A small seeded generator (sfc32) whose whole state is four numbers, so a data stream can
 * save where it is and continue exactly there. Independent of libtorch's generators.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${describeValue(seed)}`);
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = (seed ^ 0xdeadbeef) >>> 0;
    this.#a ^= Math.floor(seed / 0x100000000) >>> 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = (this.#b ^ (this.#b >>> 9)) >>> 0;
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform integer on [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  state(): [number, number, number, number] {
    return [this.#a, this.#b, this.#c, this.#d];
  }

  static fromState(state: readonly number[]): Random {
    if (!Array.isArray(state)) throw new RangeError('a Random state is four 32-bit unsigned integers');
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) throw new RangeError('a Random state is four 32-bit unsigned integers');
    const r = new Random(0);
    [r.#a, r.#b, r.#c, r.#d] = state as [number, number, number, number];
    return r;
  }
}
