// Prints a tensor as PyTorch does: values (summarised past 1000 elements), then dtype,
// device and autograd facts where they differ from the defaults.
import { native, type Handle } from '../native.js';
import { dtypeCode, readDtype, typedArrayOf } from './dtype.js';
import { atenOps, callOp } from './ops.js';
import type { Tensor } from './tensor.js';

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 4;

type Cell = number | bigint;

const LINE_WIDTH = 80;

/** Whether the double v is exactly k × 10^e (the decimal a rounding starts from). */
function isExactly(v: number, k: bigint, e: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  let lhs = biased === 0 ? fraction : fraction | (1n << 52n); // v = lhs × 2^power
  const power = (biased === 0 ? 1 : biased) - 1075;
  let rhs = k;
  if (power >= 0) lhs <<= BigInt(power);
  else rhs <<= BigInt(-power);
  if (e >= 0) rhs *= 10n ** BigInt(e);
  else lhs *= 10n ** BigInt(-e);
  return lhs === rhs;
}

const digitsOf = (text: string): bigint => BigInt(text.replace(/[-.]/g, ''));

/**
 * Python's '{:.Nf}' / '{:.Ne}': like toFixed / toExponential, but an exact tie rounds to
 * the even digit (0.125 → '0.12', where JavaScript rounds away from zero) and -0 keeps its sign.
 */
function fixed(v: number, digits: number): string {
  const sign = Object.is(v, -0) ? '-' : '';
  const longer = v.toFixed(digits + 1);
  if (!longer.endsWith('5') || !isExactly(v, digitsOf(longer), -(digits + 1))) return sign + v.toFixed(digits);
  const down = longer.slice(0, -1).replace(/\.$/, '');
  return Number(down.at(-1)) % 2 === 0 ? down : v.toFixed(digits);
}

function exponential(v: number, digits: number): string {
  const pad = (text: string): string => text.replace(/e([+-])(\d)$/, 'e$10$2');
  const sign = Object.is(v, -0) ? '-' : '';
  const longer = v.toExponential(digits + 1);
  const [mantissa, exponent] = longer.split('e') as [string, string];
  if (!mantissa.endsWith('5') || !isExactly(v, digitsOf(mantissa), Number(exponent) - (digits + 1))) return sign + pad(v.toExponential(digits));
  const down = `${mantissa.slice(0, -1).replace(/\.$/, '')}e${exponent}`;
  return pad(Number(mantissa.at(-2)) % 2 === 0 ? down : v.toExponential(digits));
}

/**
 * PyTorch's _Formatter: the mode (integers with a '.', fixed, or scientific) and the width
 * come from the nonzero finite values shown; nan and inf print as they are.
 */
function formatterFor(values: Cell[], dtype: string): { format: (v: Cell) => string; width: number } {
  if (!['float32', 'float64', 'float16', 'bfloat16'].includes(dtype)) {
    const format = dtype === 'bool' ? (v: Cell) => (Number(v) !== 0 ? 'True' : 'False') : (v: Cell) => String(v);
    return { format, width: values.reduce<number>((w, v) => Math.max(w, format(v).length), 1) };
  }
  const nonZero = values.map(Number).filter((v) => Number.isFinite(v) && v !== 0);
  const abs = nonZero.map(Math.abs);
  const max = abs.reduce((a, b) => Math.max(a, b), 0);
  const min = abs.reduce((a, b) => Math.min(a, b), Infinity);
  const intMode = nonZero.every((v) => Number.isInteger(v));
  const sciMode = nonZero.length > 0 && (max / min > 1000 || max > 1e8 || min < 1e-4);
  const special = (v: number): string | undefined => (Number.isNaN(v) ? 'nan' : !Number.isFinite(v) ? (v > 0 ? 'inf' : '-inf') : undefined);
  const number = sciMode ? (v: number) => exponential(v, PRECISION) : intMode ? (v: number) => `${fixed(v, 0)}.` : (v: number) => fixed(v, PRECISION);
  const format = (v: Cell): string => special(Number(v)) ?? number(Number(v));
  return { format, width: nonZero.reduce<number>((w, v) => Math.max(w, number(v).length), 1) };
}

/** Indices shown along a dimension of `size`: all, or the edges with a gap between. */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  if (!summarize || size <= 2 * EDGE_ITEMS) return Array.from({ length: size }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), null, ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i)];
}

// ATen's advanced indexing with one index tensor per dimension (broadcast against each
// other) gathers exactly the printed elements, from a view of any strides, in one call.
const op = atenOps({ index: 'aten::index.Tensor' });

/**
 * The printed elements of a summarised tensor, in row-major order: along each dimension
 * the first and last EDGE_ITEMS (or all of a short one). Only these are gathered in
 * libtorch and read back, so a huge tensor (an expanded view, say) costs what it prints.
 */
function gatherShown(tensor: Tensor, shape: readonly number[]): ArrayLike<Cell> {
  const int64 = dtypeCode('int64');
  const device = native.device(tensor.handle);
  const made: Handle[] = [];
  const gradWas = native.setGradEnabled(false);
  try {
    const indices = shape.map((size, d) => {
      const shown = shownIndices(size, true).filter((i): i is number => i !== null);
      const at = shape.map((_, e) => (e === d ? shown.length : 1));
      const h = native.fromBuffer(BigInt64Array.from(shown, (i) => BigInt(i)), at, int64, int64, device, false);
      made.push(h);
      return h;
    });
    const picked = callOp(op.index, tensor.handle, indices) as Handle;
    made.push(picked);
    const dtype = tensor.dtype;
    const read = readDtype(dtype);
    return typedArrayOf(dtype, native.toBuffer(picked, read === dtype ? undefined : dtypeCode(read)));
  } finally {
    native.setGradEnabled(gradWas);
    for (const h of made) native.dispose(h);
  }
}

export function formatTensor(tensor: Tensor): string {
  if (tensor.isDisposed) return 'tensor(<disposed>)';
  const shape = tensor.shape;
  const dtype = tensor.dtype;
  const numel = tensor.numel();
  const summarize = numel > THRESHOLD;
  // Nothing is read back for an empty tensor, and nothing walks its (maybe huge) dimensions.
  const flat: ArrayLike<Cell> = numel === 0 ? [] : summarize ? gatherShown(tensor, shape) : tensor.toTypedArray();
  // The shape of what was read: each dimension cut to its shown elements when summarising.
  const kept = summarize ? shape.map((size) => Math.min(size, 2 * EDGE_ITEMS)) : shape;
  const strides = kept.map((_, i) => kept.slice(i + 1).reduce((a, b) => a * b, 1));
  const shownFlat = Array.from(flat);
  const { format, width } = formatterFor(shownFlat, dtype);
  const cell = (v: Cell): string => format(v).padStart(width);

  /** Positions along a dimension in what was read, with null where '...' goes. */
  const positions = (level: number): (number | null)[] => {
    const size = shape[level]!;
    if (!summarize || size <= 2 * EDGE_ITEMS) return Array.from({ length: size }, (_, i) => i);
    return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), null, ...Array.from({ length: EDGE_ITEMS }, (_, i) => EDGE_ITEMS + i)];
  };
  const render = (level: number, offset: number): string => {
    const indent = 'tensor('.length + level;
    if (level === shape.length) return cell(flat[offset]!);
    if (level === shape.length - 1) {
      // A row wraps at 80 columns as PyTorch's _vector_str does ('...' counts as an element).
      const items = positions(level).map((i) => (i === null ? ' ...' : cell(flat[offset + i]!)));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const items = positions(level).map((i) => (i === null ? '...' : render(level + 1, offset + i * strides[level]!)));
    const newlines = '\n'.repeat(shape.length - level - 1);
    return `[${items.join(`,${newlines}${' '.repeat(indent + 1)}`)}]`;
  };

  let body: string;
  const suffix: string[] = [];
  if (numel === 0) {
    body = '[]';
    if (shape.length !== 1) suffix.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
  } else {
    body = render(0, 0);
  }
  if (tensor.device !== 'cpu') suffix.push(`device='${tensor.device}'`);
  if (!['float32', 'int64', 'bool'].includes(dtype)) suffix.push(`dtype=torch.${dtype}`);
  const gradFn = tensor.gradFn;
  if (gradFn !== null) suffix.push(`grad_fn=<${gradFn}>`);
  else if (tensor.requiresGrad) suffix.push('requires_grad=True');
  return `tensor(${[body, ...suffix].join(', ')})`;
}
