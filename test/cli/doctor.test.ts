import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  t.match(unknown.stderr, /plm-torch doctor: unknown option '--frobnicate' \(plm-torch doctor --help lists the options\)/);
  t.notMatch(unknown.stderr, /at .*\.js:\d+/);
  const bad = run('doctor', '--seconds', 'fast');
  t.equal(bad.status, 2);
  t.match(bad.stderr, /--seconds must be a positive number/);
  const cmd = run('frobnicate');
  t.equal(cmd.status, 2);
  t.match(cmd.stderr, /unknown command 'frobnicate'\n/);
  t.match(run('pretrian').stderr, /^plm-torch: unknown command 'pretrian'; did you mean 'pretrain'\?/);
  t.equal(run('--help').status, 0);
  t.match(run('doctor', '--help').stdout, /Usage: plm-torch doctor/);
});

t.test('--version prints the package version; help lists setup', async (t) => {
  const { version } = JSON.parse(readFileSync(join(dirname(bin), '../package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) {
    const r = run(flag);
    t.equal(r.status, 0);
    t.equal(r.stdout, `plm-torch ${version}\n`);
  }
  t.match(run('--help').stdout, /^ {2}setup +find or install torch and build the native addon/m);
});

t.test('load failures are explained with the library and the fix', async (t) => {
  const { explainLoadFailure } = await import('../../lib/native.js');
  const gone = explainLoadFailure('libtorch_cpu.so: cannot open shared object file: No such file or directory', '/old/venv/torch/lib');
  t.equal(gone, 'plm-torch: the libtorch its addon was built against is gone: libtorch_cpu.so cannot be found (it was in /old/venv/torch/lib).\nRun `npx plm-torch setup`: it finds (or installs) torch and builds the addon against it.');
  t.match(explainLoadFailure('/x/plm_torch.node: undefined symbol: _ZN3c106detail14torchCheckFailEPKcS2_jRKSs', '/t/lib'), /^plm-torch: the libtorch in \/t\/lib changed since the addon was built against it \(undefined symbol _ZN3c10/);
  t.match(explainLoadFailure('No native build was found for platform=linux arch=x64 runtime=node abi=115 uv=1 libc=glibc node=20.20.2'), /^plm-torch: the native addon is not built .*\nRun `npx plm-torch setup`/);
});
