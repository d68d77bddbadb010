// plm-torch plot RUN_DIR: the run's curves as RUN_DIR/metrics.svg, and a PNG when the optional
// `sharp` package is installed (it is not a dependency of plm-torch).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { renderSvg, seriesFromMetrics } from '../train/plot.js';
import { usage, UsageError } from './args.js';

const HELP = `Usage: plm-torch plot RUN_DIR [--out FILE.svg]

Draws the training loss, learning rate and every evaluation metric of RUN_DIR/metrics.jsonl
as RUN_DIR/metrics.svg (or --out), and a PNG beside it when the optional package sharp is
installed.
`;

export async function plot(args: string[]): Promise<number> {
  const { values, positionals } = usage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }),
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [run] = positionals;
  if (!run || positionals.length > 1) throw new UsageError('give one RUN_DIR');
  const metrics = join(run, 'metrics.jsonl');
  if (!existsSync(metrics)) throw new Error(`${run} has no metrics.jsonl`);
  const series = seriesFromMetrics(readFileSync(metrics, 'utf8'));
  if (series.length === 0) throw new Error(`${metrics} holds no steps to plot`);
  const svgPath = values.out ?? join(run, 'metrics.svg');
  const svg = renderSvg(series, basename(run));
  writeFileSync(svgPath, svg);
  let png = '';
  try {
    const sharp = createRequire(import.meta.url)('sharp') as (input: Buffer) => { png(): { toFile(path: string): Promise<unknown> } };
    const pngPath = svgPath.replace(/\.svg$/, '') + '.png';
    await sharp(Buffer.from(svg)).png().toFile(pngPath);
    png = ` and ${pngPath}`;
  } catch {
    // No sharp: the SVG alone.
  }
  process.stdout.write(`plotted ${series.map((s) => s.name).join(', ')} → ${svgPath}${png}\n`);
  return 0;
}
