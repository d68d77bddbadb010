// Loss and metric curves from a run's metrics.jsonl as a self-contained SVG: one panel per
// series (training loss, then each evaluation metric), steps on the x axis.
export interface Series {
  name: string;
  points: [number, number][];
}

/** The series a metrics.jsonl holds: loss (and MLM/NSP losses) per step, and each eval metric. */
export function seriesFromMetrics(jsonl: string): Series[] {
  const byName = new Map<string, [number, number][]>();
  const add = (name: string, step: number, value: unknown) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name)!.push([step, value]);
  };
  jsonl.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`metrics line ${i + 1} is not valid JSON`);
    }
    const step = record.step;
    if (typeof step !== 'number') return;
    if (record.eval && typeof record.eval === 'object') {
      for (const [k, v] of Object.entries(record.eval as Record<string, unknown>)) add(`eval ${k}`, step, v);
    } else {
      for (const k of ['loss', 'mlmLoss', 'nspLoss', 'lr']) add(k === 'loss' ? 'training loss' : k, step, record[k]);
    }
  });
  return [...byName].map(([name, points]) => ({ name, points }));
}

function escape(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Heckbert's "nice number": 1, 2 or 5 times a power of ten, near `x` (rounded) or at least it. */
function niceNumber(x: number, round: boolean): number {
  const power = 10 ** Math.floor(Math.log10(x));
  // A hair of slack: 0.55 - 0.45 is 0.10000000000000003, which must read as 1 × 0.1.
  const f = (x / power) * (1 - 1e-9);
  const nice = round ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) : f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

export interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
}

/**
 * An axis over [min, max] with about `count` round ticks: the range widened to multiples of a
 * nice step (0, 0.5, 1, 1.5 rather than 0.7312, 1.0484, ...). A single value gets a range around
 * it; `integer` axes (steps) never tick between integers.
 */
export function niceAxis(min: number, max: number, { count = 5, integer = false } = {}): Axis {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { lo: 0, hi: 1, ticks: [0, 1] };
  if (min === max) {
    const pad = integer ? 1 : min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  let step = niceNumber(niceNumber(max - min, false) / (count - 1), true);
  if (integer) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const n = Math.round((hi - lo) / step);
  // toPrecision: 0.1 + 0.2 is 0.30000000000000004, a tick label must read 0.3.
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((lo + i * step).toPrecision(12)));
  return { lo: ticks[0]!, hi: ticks[n]!, ticks };
}

function label(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/**
 * At most ~2 points per pixel column: each of 1,000 runs of points keeps its lowest and its
 * highest, in order, so a million-step run draws the same envelope in a small file.
 */
function envelope(points: readonly [number, number][]): [number, number][] {
  const buckets = 1000;
  if (points.length <= 2 * buckets) return [...points];
  const kept: [number, number][] = [];
  const size = points.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const run = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    let [lo, hi] = [0, 0];
    run.forEach((p, i) => {
      if (p[1] < run[lo]![1]) lo = i;
      if (p[1] > run[hi]![1]) hi = i;
    });
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) if (kept[kept.length - 1] !== run[i]) kept.push(run[i]!);
  }
  return kept;
}

/** An SVG with one line chart per series, stacked vertically. */
export function renderSvg(series: readonly Series[], title: string): string {
  const width = 640;
  const panel = 200;
  const margin = { left: 64, right: 16, top: 28, bottom: 28 };
  const height = 40 + series.length * (panel + 20);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  // One step range for every panel, so that an evaluation sits under the training step it followed.
  const steps = series.flatMap((s) => s.points.map((p) => p[0]));
  const xAxis = niceAxis(steps.reduce((a, b) => Math.min(a, b), Infinity), steps.reduce((a, b) => Math.max(a, b), -Infinity), { integer: true });
  series.forEach((s, i) => {
    const top = 40 + i * (panel + 20);
    const ys = s.points.map((p) => p[1]);
    // Loops, not Math.min(...ys): a long run's points would overflow the call stack.
    const yAxis = niceAxis(ys.reduce((a, b) => Math.min(a, b), Infinity), ys.reduce((a, b) => Math.max(a, b), -Infinity));
    const plotW = width - margin.left - margin.right;
    const plotH = panel - margin.top - margin.bottom;
    const px = (x: number) => margin.left + ((x - xAxis.lo) / (xAxis.hi - xAxis.lo)) * plotW;
    const py = (y: number) => top + margin.top + (1 - (y - yAxis.lo) / (yAxis.hi - yAxis.lo)) * plotH;
    parts.push(`<text x="${margin.left}" y="${top + 16}" font-size="13">${escape(s.name)}</text>`);
    parts.push(`<rect x="${margin.left}" y="${top + margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`);
    for (const y of yAxis.ticks) {
      parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`);
      parts.push(`<text x="${margin.left - 6}" y="${py(y) + 4}" text-anchor="end">${label(y)}</text>`);
    }
    for (const x of xAxis.ticks) parts.push(`<text x="${px(x)}" y="${top + panel - 8}" text-anchor="middle">${label(x)}</text>`);
    if (s.points.length === 1) {
      // A single evaluation: a path of one point draws nothing; a marker and its value do.
      const [x, y] = s.points[0]!;
      parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="4" fill="#1f77b4"/>`);
      parts.push(`<text x="${(px(x) + 8).toFixed(1)}" y="${(py(y) - 6).toFixed(1)}">${label(y)} at step ${x}</text>`);
      return;
    }
    const path = envelope(s.points).map((p, k) => `${k === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
    if (s.points.length <= 50) for (const p of s.points) parts.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="2" fill="#1f77b4"/>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
