// plm-torch doctor: what libtorch this process runs and how fast it multiplies matrices.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import type { NativeBinding } from '../native.js';
import { packageRoot } from '../package-root.js';
import { parseCommand, UsageError } from './args.js';
import { findLibtorchScript } from './build-scripts.js';

const HELP = `Usage: plm-torch doctor [--json] [--seconds S] [--size N]

Shows the libtorch plm-torch was built against and loaded (version, folder, CUDA,
devices), its threads and build configuration, and measures matmul throughput in
float32 and bfloat16.

  --json        print one JSON object instead of text
  --seconds S   time per measurement (default 1)
  --size N      matrix size N×N (default 1024)
`;

/** Every libtorch or c10 library mapped into this process, to prove only one installation is. */
export function loadedTorchLibraries(): string[] {
  if (!existsSync('/proc/self/maps')) return [];
  const files = new Set<string>();
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const path = line.slice(line.indexOf('/'));
    if (line.includes('/') && /\/lib(torch|c10)[^/]*\.so/.test(path)) files.add(path.trim());
  }
  return [...files].sort();
}

export async function doctor(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      json: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '1' },
      size: { type: 'string', default: '1024' },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const seconds = Number(values.seconds);
  const size = Number(values.size);
  if (!(seconds > 0)) throw new UsageError(`--seconds must be a positive number, got ${values.seconds}`);
  if (!Number.isInteger(size) || size < 16) throw new UsageError(`--size must be an integer of at least 16, got ${values.size}`);

  let native: NativeBinding;
  try {
    ({ native } = await import('../native.js'));
  } catch (err) {
    return reportNoAddon(err, values.json === true);
  }
  const info = native.runtime();
  const recordFile = join(packageRoot, 'build/libtorch.json');
  const record = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, unknown>) : undefined;
  const device = info.cudaAvailable ? 'cuda' : 'cpu';
  const gflops: Record<string, number> = {};
  for (const dtype of ['float32', 'bfloat16']) gflops[dtype] = native.matmulGflops(dtype, device, size, seconds);
  const libraries = loadedTorchLibraries();

  if (values.json) {
    const { config, parallel, ...rest } = info;
    process.stdout.write(`${JSON.stringify({ ...rest, found: record, loadedLibraries: libraries, matmul: { device, size, gflops }, config, parallel }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `plm-torch doctor`,
    `  libtorch        ${info.version} (${info.cudaCompiled ? 'CUDA build' : 'CPU build'}, ${info.cxxAbi} ABI)`,
    `  found via       ${record ? String(record.source) : 'unknown (no build/libtorch.json)'}`,
    `  folder          ${info.linkedRoot}`,
    `  loaded from     ${info.torchCpuLibrary}`,
    `  CUDA            ${info.cudaAvailable ? `available, ${info.cudaDeviceCount} device(s)` : 'not available'}`,
    `  threads         ${info.threads} intra-op, ${info.interopThreads} inter-op`,
    `  libraries       ${libraries.length ? libraries.join('\n                  ') : '(cannot list on this platform)'}`,
    `  matmul ${size}×${size} on ${device}:`,
    `    float32       ${gflops.float32!.toFixed(1)} GFLOP/s`,
    `    bfloat16      ${gflops.bfloat16!.toFixed(1)} GFLOP/s`,
    '',
    'Build configuration:',
    info.config.trimEnd(),
    '',
    info.parallel.trimEnd(),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Without a loadable addon: why, what libtorch would be used now, and the fix. Exit code 1. */
async function reportNoAddon(err: unknown, json: boolean): Promise<number> {
  const message = err instanceof Error ? err.message : String(err);
  const { findLibtorch } = await findLibtorchScript();
  let found: string;
  let record: unknown = null;
  try {
    const r = findLibtorch();
    record = r;
    found = `libtorch ${r.version} from ${r.source}`;
  } catch (notFound) {
    found = (notFound as Error).message.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4)).join('; ') || 'none';
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ addon: null, error: message, found: record }, null, 2)}\n`);
  } else {
    process.stdout.write(['plm-torch doctor', '  addon           not loaded', `  libtorch now    ${found}`, '', message, ''].join('\n'));
  }
  return 1;
}
