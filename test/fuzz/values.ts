// Hostile arguments for the fuzz: each generator makes one class of value (a number at an
// edge, a disposed tensor, a Proxy whose every trap throws, a holey array of length 2^32 - 1)
// and labels it, so a failing call can be read and reproduced from its seed.
import { closeSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { Tensor } from '../../lib/index.js';
import { torch } from '../../lib/index.js';

/** xorshift32: small, fast, the same sequence everywhere for a seed. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export interface Value {
  label: string;
  value: unknown;
}

const NUMBERS = [0, -0, 1, -1, 2, 3, 7, 0.5, -2.5, 1e-7, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e9, 6e8, 1e5, Number.MIN_VALUE, Number.MAX_VALUE, -(2 ** 63)];
const STRINGS = ['', 'cpu', 'cuda', 'cuda:7', 'meta', 'float32', 'bfloat16', 'int64', 'bool', 'complex64', 'mean', 'sum', 'none', 'floor', 'trunc', 'gelu', 'relu', 'linear', 'cosine', 'text', 'label', 'tiny', '__proto__', 'constructor', '\u0000', 'é漢', 'x'.repeat(100_000), '-1', '1e-12', '0.1', 'aten::add.Tensor', 'aten::nope'];
const PATHS = ['fuzz.bin', 'fuzz.safetensors', 'dir', 'fifo', 'link-zero', 'corrupt.json', 'huge-header.safetensors', 'truncated.bin', 'missing/x', '/nonexistent/x', '/dev/zero', '.', '..', '*.txt', 'corpus.txt', 'model'];
const DTYPES = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'] as const;
const SHAPES: number[][] = [[], [0], [1], [3], [2, 3], [0, 5], [5, 0], [1, 1, 1], [2, 3, 4], [4, 4]];

/** Files and folders the path arguments name, made in the child's working folder. */
export function makeFixtures(dir: string): void {
  mkdirSync(join(dir, 'dir'), { recursive: true });
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync('/dev/zero', join(dir, 'link-zero'));
  writeFileSync(join(dir, 'corrupt.json'), '{"model_type": "bert", ');
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(2n ** 40n);
  writeFileSync(join(dir, 'huge-header.safetensors'), header);
  writeFileSync(join(dir, 'truncated.bin'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
  writeFileSync(join(dir, 'corpus.txt'), 'the cat sat.\nthe dog ran.\n\na b c d.\n');
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'model', 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, vocab_size: 30, max_position_embeddings: 16 }));
  // A line of 3 MB: long, not huge; the corpus readers must skip or read it, never hang.
  const fd = openSync(join(dir, 'long.txt'), 'w');
  writeSync(fd, 'a'.repeat(3_000_000));
  closeSync(fd);
}

function throwingProxy(): object {
  const fail = () => {
    throw new Error('fuzz: proxy trap');
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail, set: fail, apply: fail, construct: fail });
}

function holey(length: number): unknown[] {
  const a: unknown[] = [];
  a.length = length;
  return a;
}

function tensorOf(rng: Rng): Value {
  const dtype = rng.pick(DTYPES);
  const shape = rng.pick(SHAPES);
  const kind = rng.int(12);
  const base = () => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: numel }, (_, i) => (dtype === 'bool' ? i % 2 === 0 : ((i * 7) % 11) - (dtype === 'uint8' ? 0 : 5)));
    return torch.tensor(values, { dtype }).reshape(shape);
  };
  switch (kind) {
    case 0:
      return { label: `tensor:${dtype}[0-d]`, value: torch.tensor(dtype === 'bool' ? true : 3, { dtype }) };
    case 1: {
      const t = torch.randn([3, 4]).to(dtype === 'bool' ? 'float32' : dtype).transpose(0, 1);
      return { label: `tensor:${t.dtype}[4,3] non-contiguous`, value: t };
    }
    case 2:
      return { label: 'tensor:float32[1]->expand[1e6]', value: torch.zeros([1]).expand([1_000_000]) };
    case 3:
      return { label: 'tensor:float32[1]->expand[6e8] (2.4 GB if copied)', value: torch.zeros([1]).expand([600_000_000]) };
    case 4: {
      const t = base();
      t.dispose();
      return { label: `tensor:${dtype}${JSON.stringify(shape)} disposed`, value: t };
    }
    case 5:
      return { label: 'tensor:float32[3] NaN/Inf', value: torch.tensor([NaN, Infinity, -Infinity]) };
    case 6:
      return { label: 'tensor:float32[2,3] requiresGrad', value: torch.randn([2, 3], { requiresGrad: true }) };
    case 7:
      return { label: 'tensor:float32[3e7,0] empty, long leading dim', value: torch.zeros([30_000_000, 0]) };
    case 8:
      return { label: 'tensor:int64[2,5] token ids', value: torch.tensor([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]], { dtype: 'int64' }) };
    default:
      return { label: `tensor:${dtype}${JSON.stringify(shape)}`, value: base() };
  }
}

/** One hostile or ordinary value; `pool` holds the live objects (modules, optimizers) to draw from. */
export function anyValue(rng: Rng, pool: readonly Value[], depth = 0): Value {
  const kind = rng.int(depth > 0 ? 14 : 22);
  switch (kind) {
    case 0:
    case 1: {
      const n = rng.pick(NUMBERS);
      return { label: `number:${Object.is(n, -0) ? '-0' : n}`, value: n };
    }
    case 2: {
      const s = rng.pick(STRINGS);
      return { label: `string:${JSON.stringify(s.slice(0, 20))}${s.length > 20 ? `(${s.length} chars)` : ''}`, value: s };
    }
    case 3: {
      const p = rng.pick(PATHS);
      return { label: `path:${p}`, value: p };
    }
    case 4:
      return rng.int(2) ? { label: 'true', value: true } : { label: 'false', value: false };
    case 5:
      return rng.int(2) ? { label: 'null', value: null } : { label: 'undefined', value: undefined };
    case 6:
    case 7:
    case 8:
      return tensorOf(rng);
    case 9:
      return pool.length > 0 ? rng.pick(pool) : { label: 'undefined', value: undefined };
    case 10: {
      const b = rng.pick([0n, -1n, 2n ** 64n, 3n]);
      return { label: `bigint:${b}`, value: b };
    }
    case 11: {
      const choices: Value[] = [
        { label: 'array:[]', value: [] },
        { label: 'array:[1,2,3]', value: [1, 2, 3] },
        { label: 'array:[[1,2],[3,4]]', value: [[1, 2], [3, 4]] },
        { label: 'array:ragged [[1,2],[3]]', value: [[1, 2], [3]] },
        // eslint-disable-next-line no-sparse-arrays
        { label: 'array:sparse [1,,3]', value: [1, , 3] },
        { label: 'array:holey length 2^32-1', value: holey(2 ** 32 - 1) },
        { label: 'array:holey length 1e7', value: holey(1e7) },
        { label: 'array:[NaN]', value: [NaN] },
        { label: "array:['a','b']", value: ['a', 'b'] },
        { label: 'array:[2,-1]', value: [2, -1] },
        { label: 'array:[1e9,1e9]', value: [1e9, 1e9] },
      ];
      return rng.pick(choices);
    }
    case 12: {
      const choices: Value[] = [
        { label: 'Float32Array(4)', value: new Float32Array([1, 2, 3, 4]) },
        { label: 'Float64Array(0)', value: new Float64Array(0) },
        { label: 'Int32Array(3)', value: new Int32Array([1, -2, 3]) },
        { label: 'BigInt64Array(2)', value: new BigInt64Array([1n, 2n]) },
        { label: 'Uint16Array(2)', value: new Uint16Array(2) },
        { label: 'Buffer(3)', value: Buffer.from([1, 2, 3]) },
        { label: 'ArrayBuffer(8)', value: new ArrayBuffer(8) },
      ];
      return rng.pick(choices);
    }
    case 13: {
      const choices: Value[] = [
        { label: 'function:noop', value: () => undefined },
        { label: 'function:throws', value: () => { throw new Error('fuzz: callback throws'); } },
        { label: 'function:async', value: async () => 1 },
        { label: 'function:returns tensor', value: () => torch.ones([2]) },
      ];
      return rng.pick(choices);
    }
    case 14:
      return { label: 'proxy:every trap throws', value: throwingProxy() };
    case 15: {
      const o: Record<string, unknown> = {};
      Object.defineProperty(o, 'dtype', { get: () => { throw new Error('fuzz: getter throws'); }, enumerable: true });
      return { label: 'object:throwing getter', value: o };
    }
    case 16:
      return { label: 'symbol', value: Symbol('fuzz') };
    case 17: {
      const choices: Value[] = [
        { label: 'object:{}', value: {} },
        { label: 'object:null prototype', value: Object.create(null) as object },
        { label: 'object:{length: 2^32-1}', value: { length: 2 ** 32 - 1 } },
        { label: 'object:fake tensor {shape, dtype}', value: { shape: [2], dtype: 'float32', handle: 1 } },
        { label: 'object:Date', value: new Date(0) },
        { label: 'object:Map', value: new Map([[1, 2]]) },
        { label: 'object:Promise', value: Promise.resolve(1) },
      ];
      return rng.pick(choices);
    }
    default: {
      // An options-like object: keys the API reads, with values from anywhere.
      const keys = ['dtype', 'device', 'requiresGrad', 'dim', 'keepdim', 'lr', 'weightDecay', 'steps', 'maxLength', 'padding', 'truncation', 'seed', 'vocabSize', 'config', 'strict', 'reduction', 'ignoreIndex', 'eps', 'batchSize', 'labels'];
      const o: Record<string, unknown> = {};
      const labels: string[] = [];
      for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
        const key = rng.pick(keys);
        const v = anyValue(rng, pool, depth + 1);
        o[key] = v.value;
        labels.push(`${key}: ${v.label}`);
      }
      return { label: `options:{${labels.join(', ')}}`, value: o };
    }
  }
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof torch.Tensor;
}
