import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { train } from '../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const dir = mkdtempSync(join(tmpdir(), 'plm-plot-'));

const lines = [
  { step: 1, loss: 4, lr: 0.001 },
  { step: 2, loss: 3, lr: 0.0009 },
  { step: 2, eval: { accuracy: 0.5, macroF1: 0.4 } },
  { step: 3, loss: 2, lr: 0.0008 },
  { step: 4, loss: 1, lr: 0.0007 },
  { step: 4, eval: { accuracy: 0.9, macroF1: 0.85 } },
].map((l) => JSON.stringify(l));

t.test('series from metrics.jsonl and an SVG with one curve each', async (t) => {
  const series = train.seriesFromMetrics(lines.join('\n'));
  t.same(series.map((s) => s.name), ['training loss', 'lr', 'eval accuracy', 'eval macroF1']);
  t.same(series[0]!.points, [[1, 4], [2, 3], [3, 2], [4, 1]]);
  t.same(series[2]!.points, [[2, 0.5], [4, 0.9]]);
  const svg = train.renderSvg(series, 'run <1>');
  t.equal((svg.match(/<path /g) ?? []).length, 4);
  t.match(svg, /run &lt;1&gt;/, 'titles are escaped');
  // The loss falls from 4 to 1: its first point is drawn higher (smaller y) than its last.
  const d = /<path d="M([\d.]+),([\d.]+) .* L([\d.]+),([\d.]+)"/.exec(svg)!;
  t.ok(Number(d[2]) < Number(d[4]));
  t.throws(() => train.seriesFromMetrics('{"step": 1}\nnot json'), /metrics line 2 is not valid JSON/);
});

t.test('plm-torch plot writes RUN_DIR/metrics.svg', async (t) => {
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  writeFileSync(join(runDir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  const result = spawnSync(process.execPath, [bin, 'plot', runDir], { encoding: 'utf8' });
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, /plotted training loss, lr, eval accuracy, eval macroF1 → .*metrics.svg/);
  t.match(readFileSync(join(runDir, 'metrics.svg'), 'utf8'), /^<svg xmlns/);
  const missing = spawnSync(process.execPath, [bin, 'plot', join(dir, 'none')], { encoding: 'utf8' });
  t.equal(missing.status, 1);
  t.match(missing.stderr, /has no metrics.jsonl/);
  t.equal(spawnSync(process.execPath, [bin, 'plot'], { encoding: 'utf8' }).status, 2);
});

t.test('a long run (200,000 points) plots without overflowing the call stack', async (t) => {
  const points: [number, number][] = Array.from({ length: 200_000 }, (_, i) => [i + 1, 10 / (i + 1)]);
  const svg = train.renderSvg([{ name: "loss", points }], "long run");
  t.match(svg, /<svg/);
  t.match(svg, />2\.0e\+5</, 'the x axis reaches the last step');
  t.ok(svg.length < 100_000, `${svg.length} bytes: the line keeps each run's lowest and highest points, not all 200,000`);
});

t.test('axes tick at round numbers (1, 2 or 5 times a power of ten) and cover the data', async (t) => {
  t.same(train.niceAxis(0.7312, 2.0484).ticks, [0.5, 1, 1.5, 2, 2.5]); // range 1.3 → 2, / 4 → 0.5
  t.same(train.niceAxis(3.17, 9.62), { lo: 2, hi: 10, ticks: [2, 4, 6, 8, 10] }); // range 6.45 → 10, / 4 → 2.5 → 2
  t.same(train.niceAxis(0.1, 0.3).ticks, [0.1, 0.15, 0.2, 0.25, 0.3], 'no 0.30000000000000004');
  t.same(train.niceAxis(1, 200_000, { integer: true }).ticks, [0, 50_000, 100_000, 150_000, 200_000]);
  t.same(train.niceAxis(1, 3, { integer: true }).ticks, [1, 2, 3], 'steps never tick between integers');
  t.same(train.niceAxis(0.5, 0.5), { lo: 0.44, hi: 0.56, ticks: [0.44, 0.46, 0.48, 0.5, 0.52, 0.54, 0.56] }, 'one value: ±10% around it (0.1 / 4 → 0.02)');
  t.same(train.niceAxis(7, 7, { integer: true }).ticks, [6, 7, 8]);
  t.same(train.niceAxis(-2.5e-4, 1.1e-3).ticks, [-5e-4, 0, 5e-4, 1e-3, 1.5e-3]);
});

/** The x positions of a panel's tick labels and its points, panel by panel. */
function panels(svg: string): { ticks: Map<string, number>; points: number[] }[] {
  return svg.split(/<text x="64" y="\d+" font-size="13">/).slice(1).map((part) => ({
    ticks: new Map([...part.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">([^<]+)</g)].map((m) => [m[2]!, Number(m[1])])),
    points: [...part.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1])),
  }));
}

t.test('every panel shares the step axis; a single evaluation is a marker with its value', async (t) => {
  const metrics = [
    ...Array.from({ length: 40 }, (_, i) => JSON.stringify({ step: i + 1, loss: 5 - i / 10 })),
    JSON.stringify({ step: 20, eval: { accuracy: 0.625 } }),
  ].join('\n');
  const svg = train.renderSvg(train.seriesFromMetrics(metrics), 'run');
  const [loss, accuracy] = panels(svg);
  t.same([...loss!.ticks.keys()], ['0', '10', '20', '30', '40']);
  t.same([...accuracy!.ticks], [...loss!.ticks], 'the same step labels at the same x in both panels');
  t.equal(accuracy!.points.length, 1);
  t.equal(accuracy!.points[0], loss!.points[19], 'the evaluation at step 20 sits above the training loss of step 20');
  t.equal(accuracy!.points[0], loss!.ticks.get('20'));
  t.match(svg, /<circle cx="[\d.]+" cy="[\d.]+" r="4" fill="#1f77b4"\/>\n<text [^>]+>0\.625 at step 20<\/text>/);
  const yLabels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
  t.same(yLabels.slice(0, 5), ['1', '2', '3', '4', '5'], 'the loss axis: round ticks covering 1.1 to 5');
});
