// `--nproc N`: data-parallel training in N local processes, the way torchrun starts them. Each
// child is this same command with RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT
// set; with NNODES and NODE_RANK (and MASTER_ADDR/MASTER_PORT of node 0) the same command on
// several machines forms one group. A child that fails ends the others.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import { isRankProcess } from '../distributed/process-group.js';
import { UsageError } from './args.js';

const BIN = fileURLToPath(new URL('../../../bin/plm-torch.js', import.meta.url));

export { isRankProcess };

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function integerEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`$${name} must be a non-negative integer, got '${value}'`);
  return n;
}

/** Runs `command args` as nproc ranks of this machine; resolves with the first failure's exit code, or 0. */
export async function launchLocal(command: string, args: string[], nproc: number): Promise<number> {
  const nodes = integerEnv('NNODES', 1);
  const nodeRank = integerEnv('NODE_RANK', 0);
  if (nodes < 1 || nodeRank >= nodes) throw new UsageError(`NODE_RANK must be below NNODES (${nodes}), got ${nodeRank}`);
  if (nodes > 1 && !process.env.MASTER_ADDR) throw new UsageError('several machines (NNODES > 1) need MASTER_ADDR and MASTER_PORT of node 0');
  const port = process.env.MASTER_PORT ? integerEnv('MASTER_PORT', 29500) : await freePort();
  const threads = String(Math.max(1, Math.floor(availableParallelism() / nproc)));
  const children: ChildProcess[] = [];
  const exits = Array.from({ length: nproc }, (_, local) => {
    const rank = nodeRank * nproc + local;
    const child = spawn(process.execPath, [BIN, command, ...args, ...(rank === 0 ? [] : ['--quiet'])], {
      stdio: ['ignore', rank === 0 ? 'inherit' : 'ignore', 'inherit'],
      env: {
        ...process.env,
        RANK: String(rank),
        LOCAL_RANK: String(local),
        WORLD_SIZE: String(nodes * nproc),
        MASTER_ADDR: process.env.MASTER_ADDR ?? '127.0.0.1',
        MASTER_PORT: String(port),
        OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? threads,
      },
    });
    children.push(child);
    return new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  });
  const forward = () => children.forEach((c) => c.kill('SIGINT'));
  process.on('SIGINT', forward);
  let failed = 0;
  await Promise.all(
    exits.map((exit, i) =>
      exit.then((code) => {
        if (code !== 0 && failed === 0) {
          failed = code;
          process.stderr.write(`plm-torch ${command}: rank ${nodeRank * nproc + i} exited with code ${code}; stopping the others\n`);
          // The others would notice within their collective timeout; do not wait for it. SIGKILL:
          // a rank blocked in a collective runs no JS, and an inherited SIG_IGN can mask SIGTERM.
          setTimeout(() => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')), 2000).unref();
        }
      }),
    ),
  );
  process.off('SIGINT', forward);
  return failed;
}
