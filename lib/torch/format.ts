// Prints a tensor as PyTorch does: values (summarised past 1000 elements), then dtype,
// device and autograd facts where they differ from the defaults.
import type { Tensor } from './tensor.js';

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 4;

type Cell = number | bigint;

function formatterFor(values: Cell[], dtype: string): (v: Cell) => string {
  if (dtype === 'bool') return (v) => (Number(v) !== 0 ? 'True' : 'False');
  if (!['float32', 'float64', 'float16', 'bfloat16'].includes(dtype)) return (v) => String(v);
  const finite = values.map(Number).filter((v) => Number.isFinite(v));
  const nonZero = finite.map(Math.abs).filter((v) => v !== 0);
  const allIntegral = finite.every((v) => Number.isInteger(v));
  const max = nonZero.reduce((a, b) => Math.max(a, b), 0);
  const min = nonZero.reduce((a, b) => Math.min(a, b), nonZero.length ? Infinity : 0);
  const special = (v: number): string | undefined => (Number.isNaN(v) ? 'nan' : !Number.isFinite(v) ? (v > 0 ? 'inf' : '-inf') : undefined);
  if (allIntegral) {
    if (max > 1e8) return (v) => special(Number(v)) ?? Number(v).toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
    return (v) => special(Number(v)) ?? `${Number(v).toFixed(0)}.`;
  }
  if (max / min > 1000 || max > 1e8 || min < 1e-4) {
    return (v) => special(Number(v)) ?? Number(v).toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return (v) => special(Number(v)) ?? Number(v).toFixed(PRECISION);
}

/** Indices shown along a dimension of `size`: all, or the edges with a gap between. */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  if (!summarize || size <= 2 * EDGE_ITEMS) return Array.from({ length: size }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), null, ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i)];
}

export function formatTensor(tensor: Tensor): string {
  if (tensor.isDisposed) return 'tensor(<disposed>)';
  const shape = tensor.shape;
  const dtype = tensor.dtype;
  const numel = shape.reduce((a, b) => a * b, 1);
  const flat = Array.from(tensor.toTypedArray() as ArrayLike<Cell>);
  const summarize = numel > THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

  // Format only the elements that will be printed, so widths and modes follow them.
  const shownFlat: Cell[] = [];
  const walk = (level: number, offset: number): void => {
    if (level === shape.length) {
      shownFlat.push(flat[offset]!);
      return;
    }
    for (const i of shownIndices(shape[level]!, summarize)) if (i !== null) walk(level + 1, offset + i * strides[level]!);
  };
  walk(0, 0);
  const format = formatterFor(shownFlat, dtype);
  const width = Math.max(0, ...shownFlat.map((v) => format(v).length));
  const cell = (v: Cell): string => format(v).padStart(width);

  const indent = 'tensor('.length;
  const render = (level: number, offset: number): string => {
    if (level === shape.length) return cell(flat[offset]!);
    const gap = level === shape.length - 1 ? ' ...' : '...';
    const items = shownIndices(shape[level]!, summarize).map((i) => (i === null ? gap : render(level + 1, offset + i * strides[level]!)));
    if (level === shape.length - 1) return `[${items.join(', ')}]`;
    const newlines = '\n'.repeat(shape.length - level - 1);
    return `[${items.join(`,${newlines}${' '.repeat(indent + level + 1)}`)}]`;
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
