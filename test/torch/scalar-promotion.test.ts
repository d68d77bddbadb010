import t from 'tap';

import { torch } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

// Every op that takes a JS number where PyTorch takes a Python scalar, against PyTorch: the
// number must promote as a Python scalar does (a wrapped number, ranked below every tensor):
// int64 tensor .div(2.5, 'floor') is float32 [2, -3, 2], not int64 [3, -4, 2] (issue #14).
// Each op runs over inputs of eight dtypes, 1-d and 0-dim, and the numbers 2, 2.5, -3 and
// true; dtype, shape and values must equal PyTorch's, and what PyTorch refuses must be
// refused here with a JS error. JS cannot tell 2.0 from 2: an integral number is a Python int.

const skip = missingPython('torch');

type Tensor = torch.Tensor;
type DType = torch.DType;
type Num = number | boolean;

interface Context {
  /** The input, dtype and shape as the row says. */
  x: Tensor;
  /** The number (booleans pass through JS where the types say number). */
  n: number;
  /** Another tensor of x's dtype and shape. */
  T: Tensor;
  /** A bool tensor of x's shape. */
  cond: Tensor;
  /** An int64 index into x's first dimension (0-dim for a 0-dim x). */
  idx: Tensor;
  /** A 0-dim float64 tensor, 0.5. */
  d: Tensor;
}

interface Case {
  name: string;
  js: (c: Context) => Tensor;
  /** The same in Python, over x, n, T, cond, idx, d, torch and refs (torch._refs). */
  py: string;
}

const cases: Case[] = [
  { name: 'add', js: ({ x, n }) => x.add(n), py: 'x.add(n)' },
  { name: 'add alpha', js: ({ x, n }) => x.add(n, 2), py: 'x.add(n, alpha=2)' },
  { name: 'add tensor, alpha = n', js: ({ x, T, n }) => x.add(T, n), py: 'x.add(T, alpha=n)' },
  { name: 'sub', js: ({ x, n }) => x.sub(n), py: 'x.sub(n)' },
  { name: 'sub alpha', js: ({ x, n }) => x.sub(n, 2), py: 'x.sub(n, alpha=2)' },
  { name: 'mul', js: ({ x, n }) => x.mul(n), py: 'x.mul(n)' },
  { name: 'div', js: ({ x, n }) => x.div(n), py: 'x.div(n)' },
  { name: "div 'trunc'", js: ({ x, n }) => x.div(n, 'trunc'), py: "x.div(n, rounding_mode='trunc')" },
  { name: "div 'floor'", js: ({ x, n }) => x.div(n, 'floor'), py: "x.div(n, rounding_mode='floor')" },
  { name: 'pow', js: ({ x, n }) => x.pow(n), py: 'x.pow(n)' },
  { name: 'eq', js: ({ x, n }) => x.eq(n), py: 'x.eq(n)' },
  { name: 'ne', js: ({ x, n }) => x.ne(n), py: 'x.ne(n)' },
  { name: 'lt', js: ({ x, n }) => x.lt(n), py: 'x.lt(n)' },
  { name: 'le', js: ({ x, n }) => x.le(n), py: 'x.le(n)' },
  { name: 'gt', js: ({ x, n }) => x.gt(n), py: 'x.gt(n)' },
  { name: 'ge', js: ({ x, n }) => x.ge(n), py: 'x.ge(n)' },
  { name: 'clamp(n)', js: ({ x, n }) => x.clamp(n), py: 'torch.clamp(x, min=n)' },
  { name: 'clamp(null, n)', js: ({ x, n }) => x.clamp(null, n), py: 'torch.clamp(x, max=n)' },
  { name: 'clamp(n, 4)', js: ({ x, n }) => x.clamp(n, 4), py: 'torch.clamp(x, n, 4)' },
  // A number beside a Tensor bound: PyTorch reads a 0-dim one as a number too (item()) and
  // refuses a larger one; here that takes the number as a wrapped number (wrapped_clamp).
  { name: 'clamp(T, n)', js: ({ x, T, n }) => x.clamp(T, n), py: 'torch.clamp(x, T, n) if T.dim() == 0 else wrapped_clamp(x, T, n)' },
  { name: 'clamp(n, T)', js: ({ x, T, n }) => x.clamp(n, T), py: 'torch.clamp(x, n, T) if T.dim() == 0 else wrapped_clamp(x, n, T)' },
  { name: 'clamp(0-dim float64, n)', js: ({ x, d, n }) => x.clamp(d, n), py: 'torch.clamp(x, d, n)' },
  { name: 'clamp(T)', js: ({ x, T }) => x.clamp(T), py: 'torch.clamp(x, T)' },
  { name: 'where(cond, n)', js: ({ x, cond, n }) => x.where(cond, n), py: 'torch.where(cond, x, n)' },
  { name: 'torch.where(cond, x, n)', js: ({ x, cond, n }) => torch.where(cond, x, n), py: 'torch.where(cond, x, n)' },
  { name: 'torch.where(cond, n, x)', js: ({ x, cond, n }) => torch.where(cond, n, x), py: 'torch.where(cond, n, x)' },
  { name: 'torch.where(cond, n, -1)', js: ({ cond, n }) => torch.where(cond, n, -1), py: 'torch.where(cond, n, -1)' },
  { name: 'torch.where(cond, n, 0.5)', js: ({ cond, n }) => torch.where(cond, n, 0.5), py: 'torch.where(cond, n, 0.5)' },
  { name: 'maskedFill', js: ({ x, cond, n }) => x.maskedFill(cond, n), py: 'x.masked_fill(cond, n)' },
  { name: 'scatter value', js: ({ x, idx, n }) => x.scatter(0, idx, n), py: 'x.scatter(0, idx, n)' },
  { name: 'fullLike', js: ({ x, n }) => torch.fullLike(x, n), py: 'torch.full_like(x, n)' },
  { name: 'fill_', js: ({ x, n }) => x.clone().fill_(n), py: 'x.clone().fill_(n)' },
  { name: 'maskedFill_', js: ({ x, cond, n }) => x.clone().maskedFill_(cond, n), py: 'x.clone().masked_fill_(cond, n)' },
  { name: 'add_', js: ({ x, n }) => x.clone().add_(n), py: 'x.clone().add_(n)' },
  { name: 'add_ tensor, alpha = n', js: ({ x, T, n }) => x.clone().add_(T, n), py: 'x.clone().add_(T, alpha=n)' },
  { name: 'sub_', js: ({ x, n }) => x.clone().sub_(n), py: 'x.clone().sub_(n)' },
  { name: 'mul_', js: ({ x, n }) => x.clone().mul_(n), py: 'x.clone().mul_(n)' },
  { name: 'div_', js: ({ x, n }) => x.clone().div_(n), py: 'x.clone().div_(n)' },
  { name: 'pow_', js: ({ x, n }) => x.clone().pow_(n), py: 'x.clone().pow_(n)' },
  { name: 'clamp_(n)', js: ({ x, n }) => x.clone().clamp_(n), py: 'x.clone().clamp_(n)' },
  { name: 'clamp_(null, n)', js: ({ x, n }) => x.clone().clamp_(null, n), py: 'x.clone().clamp_(max=n)' },
  { name: 'addcmul_', js: ({ x, T, n }) => x.clone().addcmul_(T, T, n), py: 'x.clone().addcmul_(T, T, value=n)' },
  { name: 'addcdiv_', js: ({ x, T, n }) => x.clone().addcdiv_(T, T, n), py: 'x.clone().addcdiv_(T, T, value=n)' },
  { name: 'lerp_', js: ({ x, T, n }) => x.clone().lerp_(T, n), py: 'x.clone().lerp_(T, n)' },
  { name: 'torch.add(n, x)', js: ({ x, n }) => torch.add(n, x), py: 'torch.add(n, x)' },
  { name: 'torch.add(n, x, alpha 2)', js: ({ x, n }) => torch.add(n, x, 2), py: 'torch.add(n, x, alpha=2)' },
  { name: 'torch.add(n, 3)', js: ({ n }) => torch.add(n, 3), py: 'torch.add(n, 3)' },
  { name: 'torch.sub(n, x)', js: ({ x, n }) => torch.sub(n, x), py: 'torch.sub(n, x)' },
  { name: 'torch.mul(n, x)', js: ({ x, n }) => torch.mul(n, x), py: 'torch.mul(n, x)' },
  { name: 'torch.div(n, x)', js: ({ x, n }) => torch.div(n, x), py: 'torch.div(n, x)' },
  { name: "torch.div(n, x, 'floor')", js: ({ x, n }) => torch.div(n, x, 'floor'), py: "torch.div(n, x, rounding_mode='floor')" },
  { name: 'torch.pow(n, x)', js: ({ x, n }) => torch.pow(n, x), py: 'torch.pow(n, x)' },
  { name: 'torch.pow(x, n)', js: ({ x, n }) => torch.pow(x, n), py: 'torch.pow(x, n)' },
  { name: 'torch.clamp(x, n, 4)', js: ({ x, n }) => torch.clamp(x, n, 4), py: 'torch.clamp(x, n, 4)' },
  // Refused by PyTorch: these take Tensors only.
  { name: 'maximum(n)', js: ({ x, n }) => x.maximum(n as unknown as Tensor), py: 'torch.maximum(x, n)' },
  { name: 'minimum(n)', js: ({ x, n }) => x.minimum(n as unknown as Tensor), py: 'torch.minimum(x, n)' },
  { name: 'logicalAnd(n)', js: ({ x, n }) => x.logicalAnd(n as unknown as Tensor), py: 'torch.logical_and(x, n)' },
  { name: 'torch.eq(n, x)', js: ({ x, n }) => torch.eq(n as unknown as Tensor, x), py: 'torch.eq(n, x)' },
];

const DTYPES: DType[] = ['int64', 'int32', 'uint8', 'bool', 'float16', 'bfloat16', 'float32', 'float64'];
const NUMBERS: Num[] = [2, 2.5, -3, true];

interface InputSpec {
  dtype: DType;
  zeroDim: boolean;
  x: Num[];
  T: Num[];
  cond: boolean[];
  idx: number[];
}

function values(dtype: DType): { x: Num[]; T: Num[] } {
  if (dtype === 'bool') return { x: [true, false, true, false], T: [true, true, false, true] };
  if (dtype === 'uint8') return { x: [7, 3, 5, 1], T: [2, 2, 1, 3] };
  return { x: [7, -3, 5, 1], T: [2, 2, -1, 3] };
}

const inputs: InputSpec[] = DTYPES.flatMap((dtype) =>
  [false, true].map((zeroDim) => ({ dtype, zeroDim, ...values(dtype), cond: [true, false, false, true], idx: [0, 2] })),
);

type Encoded = number | boolean | string | Encoded[];
type Outcome = { dtype: string; shape: number[]; values: Encoded } | { error: string };

const PYTHON = `
import math
import torch
import torch._refs as refs

def enc(v):
    if isinstance(v, list):
        return [enc(e) for e in v]
    if isinstance(v, float) and not math.isfinite(v):
        return 'nan' if v != v else ('inf' if v > 0 else '-inf')
    return v

def wrapped_clamp(x, lo, hi):
    # clamp with a number beside a Tensor larger than 0-dim, which PyTorch refuses, the number
    # as a wrapped number: the dtype PyTorch's reference (torch._refs.clamp) promotes to,
    # which treats numbers so, and the values of the eager kernel in that dtype (which has
    # none for bool).
    dtype = refs.clamp(x, lo, hi).dtype
    cast = lambda v: v.to(dtype) if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=dtype)
    return torch.clamp(cast(x), cast(lo), cast(hi))

def make(values, dtype, zero_dim):
    return torch.tensor(values[0] if zero_dim else values, dtype=dtype)

results = []
for spec in inp['inputs']:
    dtype = getattr(torch, spec['dtype'])
    z = spec['zeroDim']
    ctx = {
        'torch': torch, 'refs': refs, 'wrapped_clamp': wrapped_clamp,
        'x': make(spec['x'], dtype, z), 'T': make(spec['T'], dtype, z),
        'cond': make(spec['cond'], torch.bool, z), 'idx': make(spec['idx'], torch.int64, z),
        'd': torch.tensor(0.5, dtype=torch.float64),
    }
    for expr in inp['cases']:
        for n in inp['numbers']:
            try:
                r = eval(expr, dict(ctx, n=n))
                results.append({'dtype': str(r.dtype).replace('torch.', ''), 'shape': list(r.shape), 'values': enc(r.tolist())})
            except (NameError, SyntaxError):
                raise  # a mistake in the table, not a refusal
            except Exception as e:
                results.append({'error': type(e).__name__ + ': ' + str(e).split(chr(10))[0]})
out(results)
`;

function encode(v: unknown): Encoded {
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return v as Encoded;
}

function flat(v: Encoded): (number | boolean | string)[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

const TOLERANCE: Partial<Record<string, number>> = { float16: 1e-3, bfloat16: 1e-2, float32: 1e-6, float64: 1e-12 };

/** Exact for ints and bools (and NaN, ±inf), within the dtype's tolerance for floats. */
function sameValues(dtype: string, got: Encoded, want: Encoded): boolean {
  const a = flat(got);
  const b = flat(want);
  if (a.length !== b.length) return false;
  const tol = TOLERANCE[dtype];
  return a.every((x, i) => {
    const y = b[i]!;
    if (tol === undefined || typeof x !== 'number' || typeof y !== 'number') return x === y;
    return Math.abs(x - y) <= tol * Math.max(1, Math.abs(y));
  });
}

function make(values: readonly Num[] | readonly number[], dtype: DType, zeroDim: boolean): Tensor {
  return torch.tensor(zeroDim ? values[0]! : (values as Num[]), { dtype });
}

function runHere(spec: InputSpec, c: Case, n: Num): Outcome | { thrown: unknown } {
  try {
    return torch.tidy(() => {
      const ctx: Context = {
        x: make(spec.x, spec.dtype, spec.zeroDim),
        T: make(spec.T, spec.dtype, spec.zeroDim),
        cond: make(spec.cond, 'bool', spec.zeroDim),
        idx: make(spec.idx, 'int64', spec.zeroDim),
        d: torch.tensor(0.5, { dtype: 'float64' }),
        n: n as number,
      };
      const r = c.js(ctx);
      return { dtype: r.dtype as string, shape: r.shape, values: encode(r.toArray()) };
    });
  } catch (thrown) {
    return { thrown };
  }
}

t.test('every op that takes a number promotes it as PyTorch does a Python scalar', { skip }, async (t) => {
  const expected = runPython<Outcome[]>(PYTHON, { inputs, cases: cases.map((c) => c.py), numbers: NUMBERS });
  t.equal(expected.length, inputs.length * cases.length * NUMBERS.length, 'PyTorch answered every case');
  let k = 0;
  const byCase = new Map<string, { spec: InputSpec; n: Num; want: Outcome }[]>();
  for (const spec of inputs) {
    for (const c of cases) {
      for (const n of NUMBERS) {
        const rows = byCase.get(c.name) ?? [];
        rows.push({ spec, n, want: expected[k++]! });
        byCase.set(c.name, rows);
      }
    }
  }
  for (const c of cases) {
    t.test(c.name, async (t) => {
      for (const { spec, n, want } of byCase.get(c.name)!) {
        const label = `${c.name}: ${spec.dtype}${spec.zeroDim ? ' 0-dim' : ' [4]'}, n = ${String(n)}`;
        const got = runHere(spec, c, n);
        if ('error' in want) {
          const thrown = 'thrown' in got ? got.thrown : undefined;
          const refused = thrown instanceof torch.TorchError || thrown instanceof TypeError || thrown instanceof RangeError;
          t.ok(refused && (thrown as Error).message.length > 0, `${label}: refused, as PyTorch (${want.error})`, { got: 'thrown' in got ? String(got.thrown) : got });
          continue;
        }
        if ('thrown' in got) {
          t.fail(`${label}: PyTorch gives ${want.dtype} ${JSON.stringify(want.values)}, here it throws`, { error: String(got.thrown) });
          continue;
        }
        if ('error' in got) throw new Error('unreachable');
        t.equal(got.dtype, want.dtype, `${label}: dtype ${want.dtype}`);
        t.same(got.shape, want.shape, `${label}: shape [${want.shape.join(', ')}]`);
        t.ok(sameValues(want.dtype, got.values, want.values), `${label}: values ${JSON.stringify(want.values)}`, { got: got.values });
      }
    });
  }
});

t.test('the issue #14 cases, spelled out', async (t) => {
  const div = torch.tensor([7, -7, 5], { dtype: 'int64' }).div(2.5, 'floor');
  t.equal(div.dtype, 'float32');
  t.same(div.toArray(), [2, -3, 2]);
  const bools = torch.tensor([true, false]).div(1, 'floor');
  t.equal(bools.dtype, 'int64');
  t.same(bools.toArray(), [1, 0]);
  const clamped = torch.tensor([7, -7, 5], { dtype: 'int64' }).clamp(torch.tensor([0, 0, 0], { dtype: 'int64' }), 2.5);
  t.equal(clamped.dtype, 'float32', 'a number beside a Tensor bound promotes as a wrapped number');
  t.same(clamped.toArray(), [2.5, 0, 2.5]);
  const integral = torch.tensor([7, -7], { dtype: 'int64' }).div(2.0, 'floor');
  t.equal(integral.dtype, 'int64', '2.0 is 2 in JS: an int, as a Python int');
  t.same(integral.toArray(), [3, -4]);
});

t.test('numbers where a Tensor must be are refused with a JS error', async (t) => {
  const x = torch.tensor([1, 2]);
  t.throws(() => x.div('2' as unknown as number, 'floor'), TypeError);
  t.throws(() => x.clamp(torch.tensor([0, 0]), '1' as unknown as number), TypeError);
  t.throws(() => torch.add(2, '3' as unknown as number), TypeError);
  t.throws(() => torch.pow(2, 3 as unknown as torch.Tensor), TypeError);
  t.throws(() => torch.where(torch.tensor([true, false]), 'a' as unknown as number, 1), TypeError);
  t.throws(() => torch.where(torch.tensor([true, false]), 1, null as unknown as number), TypeError);
});
