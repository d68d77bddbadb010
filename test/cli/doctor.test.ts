import t from 'tap';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

t.test('doctor reports libtorch, threads and measured GFLOP/s', async (t) => {
  const result = run('doctor', '--json', '--seconds', '0.2', '--size', '256');
  t.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    version: string; linkedRoot: string; threads: number; cudaAvailable: boolean; cudaDeviceCount: number;
    config: string; loadedLibraries: string[]; matmul: { gflops: { float32: number; bfloat16: number } };
  };
  t.match(report.version, /^2\./);
  t.ok(report.threads >= 1);
  t.equal(typeof report.cudaAvailable, 'boolean');
  t.match(report.config, /PyTorch built with/);
  t.ok(report.loadedLibraries.length > 0);
  t.ok(report.matmul.gflops.float32 > 0.5, `float32 ${report.matmul.gflops.float32} GFLOP/s`);
  t.ok(report.matmul.gflops.bfloat16 > 0.5, `bfloat16 ${report.matmul.gflops.bfloat16} GFLOP/s`);
  const text = run('doctor', '--seconds', '0.1', '--size', '128');
  t.equal(text.status, 0);
  t.match(text.stdout, /libtorch +2\.\d+\.\d+/);
  t.match(text.stdout, /float32 +[\d.]+ GFLOP\/s/);
});

t.test('bad flags get a message and a non-zero exit, never a stack trace', async (t) => {
  const unknown = run('doctor', '--frobnicate');
  t.equal(unknown.status, 2, 'usage errors exit 2, as every other command');
  t.match(unknown.stderr, /plm-torch doctor: Unknown option '--frobnicate'/);
  t.notMatch(unknown.stderr, /at .*\.js:\d+/);
  const bad = run('doctor', '--seconds', 'fast');
  t.equal(bad.status, 2);
  t.match(bad.stderr, /--seconds must be a positive number/);
  const cmd = run('frobnicate');
  t.equal(cmd.status, 2);
  t.match(cmd.stderr, /unknown command 'frobnicate'/);
  t.equal(run('--help').status, 0);
  t.match(run('doctor', '--help').stdout, /Usage: plm-torch doctor/);
});
