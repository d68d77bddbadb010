// One libtorch, found as README says, linked by absolute path and loaded alone.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { torch } from '../../lib/index.js';
import { loadedTorchLibraries } from '../../lib/cli/doctor.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const findScript = join(root, 'scripts/find-libtorch.mjs');
const record = JSON.parse(readFileSync(join(root, 'build/libtorch.json'), 'utf8')) as { root: string; libDir: string; version: string };

function find(env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  delete clean.LIBTORCH;
  delete clean.PLM_TORCH_PYTHON;
  return spawnSync(process.execPath, [findScript, '--json'], { env: { ...clean, ...env }, encoding: 'utf8' });
}

t.test('the addon loaded exactly the libtorch the build chose', async (t) => {
  const info = torch.runtimeInfo();
  t.equal(info.linkedRoot, record.root);
  t.equal(dirname(info.torchCpuLibrary), record.libDir);
  t.equal(dirname(info.c10Library), record.libDir);
  const libs = loadedTorchLibraries();
  t.ok(libs.length >= 3, `libtorch, libtorch_cpu, libc10 mapped: ${libs.join(', ')}`);
  for (const lib of libs) t.equal(dirname(lib), record.libDir, `${lib} comes from the chosen folder`);
  t.match(info.version, /^2\.\d+/);
  t.equal(info.version.split('.').slice(0, 2).join('.'), record.version.split('.').slice(0, 2).join('.'));
});

t.test('LD_LIBRARY_PATH pointing at another libtorch cannot mix installations', async (t) => {
  const debian = '/usr/lib/x86_64-linux-gnu';
  const other = existsSync(join(debian, 'libtorch.so')) ? debian : undefined;
  const libDir = other ?? '/nonexistent';
  const script = `import('${join(root, 'dist/lib/index.js')}').then(async ({ torch }) => {
    const { loadedTorchLibraries } = await import('${join(root, 'dist/lib/cli/doctor.js')}');
    console.log(JSON.stringify({ libs: loadedTorchLibraries(), sum: torch.ones([3]).sum().item() }));
  })`;
  const result = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, LD_LIBRARY_PATH: libDir }, encoding: 'utf8' });
  t.equal(result.status, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { libs: string[]; sum: number };
  t.equal(out.sum, 3);
  for (const lib of out.libs) t.equal(dirname(lib), record.libDir, `${lib} from the chosen folder${other ? ' despite Debian libtorch on LD_LIBRARY_PATH' : ''}`);
});

t.test('find-libtorch: LIBTORCH is final, and a bad one fails with the commands that fix it', async (t) => {
  const bad = find({ LIBTORCH: '/nonexistent/libtorch' });
  t.equal(bad.status, 1);
  t.match(bad.stderr, /LIBTORCH: no ATen headers under \/nonexistent\/libtorch\/include/);
  t.match(bad.stderr, /Run `npx plm-torch setup`/);
  t.match(bad.stderr, /--libtorch DIR/);
  const good = find({ LIBTORCH: record.root });
  t.equal(good.status, 0, good.stderr);
  const found = JSON.parse(good.stdout) as { source: string; root: string; libraries: string[] };
  t.equal(found.source, 'LIBTORCH');
  for (const lib of found.libraries) t.ok(lib.startsWith('/'), `${lib} is an absolute path`);
});

t.test('find-libtorch: a Python without torch is reported, older libtorch is rejected', async (t) => {
  const result = find({ PLM_TORCH_PYTHON: '/nonexistent/python' });
  t.match(result.stderr + result.stdout, /PLM_TORCH_PYTHON \(\/nonexistent\/python\): no torch package|"source"/);
  if (existsSync('/usr/include/ATen/ATen.h')) {
    t.match(result.stderr, /system \(\/usr\): libtorch 1\.\d+\.\d+ at \/usr is older than 2\.1/, "Debian's libtorch-dev is seen and refused");
  }
});

t.test('binding.gyp gets items that survive gyp\'s shell-like splitting', async (t) => {
  const run = (what: string) => spawnSync(process.execPath, [findScript, '--gyp', what], { encoding: 'utf8' });
  const defines = run('defines');
  t.equal(defines.status, 0, defines.stderr);
  const lines = defines.stdout.trim().split('\n');
  t.ok(lines.every((l) => l.startsWith("'") && l.endsWith("'")), 'each item is single-quoted');
  t.ok(lines.includes(`'PLM_LIBTORCH_ROOT="${record.root}"'`), 'the string macro keeps its double quotes');
  const includes = run('include').stdout.trim().split('\n');
  t.ok(includes.includes(`'${join(record.root, 'include')}'`));
  const ldflags = run('ldflags').stdout;
  t.match(ldflags, /--disable-new-dtags/);
  t.match(ldflags, new RegExp(`-rpath,${record.libDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});
