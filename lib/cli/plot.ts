// plm-torch plot RUN_DIR: the run's curves as RUN_DIR/metrics.svg, and a PNG when the optional
// `sharp` package is installed (it is not a dependency of plm-torch).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';

import { renderSvg, seriesFromMetrics } from '../train/plot.js';
import { parseCommand, UsageError } from './args.js';

const HELP = `Usage: plm-torch plot RUN_DIR [--out FILE.svg]

Draws the training loss, learning rate and every evaluation metric of RUN_DIR/metrics.jsonl
as RUN_DIR/metrics.svg (or --out), and a PNG beside it when the optional package sharp is
installed.
`;

export async function plot(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { out: { type: 'string' } }, HELP, { positionals: true });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const [run] = positionals;
  if (!run || positionals.length > 1) throw new UsageError('give one RUN_DIR');
  const written = await plotRun(run, values.out);
  process.stdout.write(`plotted ${written.series.join(', ')} → ${written.svg}${written.png ? ` and ${written.png}` : ''}\n`);
  return 0;
}

/** Writes RUN_DIR/metrics.svg (or `svgPath`) and, with sharp installed, a PNG beside it. */
export async function plotRun(run: string, svgPath = join(run, 'metrics.svg')): Promise<{ series: string[]; svg: string; png: string | null }> {
  const metrics = join(run, 'metrics.jsonl');
  if (!existsSync(metrics)) throw new Error(`${run} has no metrics.jsonl`);
  const series = seriesFromMetrics(readFileSync(metrics, 'utf8'));
  if (series.length === 0) throw new Error(`${metrics} holds no steps to plot`);
  const svg = renderSvg(series, basename(run));
  writeFileSync(svgPath, svg);
  let png: string | null = null;
  try {
    const sharp = createRequire(import.meta.url)('sharp') as (input: Buffer) => { png(): { toFile(path: string): Promise<unknown> } };
    png = svgPath.replace(/\.svg$/, '') + '.png';
    await sharp(Buffer.from(svg)).png().toFile(png);
  } catch {
    png = null; // No sharp: the SVG alone.
  }
  return { series: series.map((s) => s.name), svg: svgPath, png };
}
