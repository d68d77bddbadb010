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
