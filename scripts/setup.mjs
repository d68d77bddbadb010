#!/usr/bin/env node
// Brings a checkout to the point where the tests run, doing only what is missing:
//   system tools (cmake, a C++ compiler, Python's venv) → a project .venv with the torch
//   wheel (and transformers, the test oracle) → npm dependencies → the native addon →
//   the TypeScript build. Run by `npm test` (pretest); a second run takes seconds.
// LIBTORCH or PLM_TORCH_PYTHON, when set, choose the libtorch instead of the .venv.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const venvPython = join(venv, 'bin/python');
const started = Date.now();

function log(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

function has(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function ensureSystemTools() {
  const missing = [];
  if (!has('cmake')) missing.push('cmake');
  if (!has('c++')) missing.push('g++');
  if (!has('python3', ['-c', 'import venv, ensurepip'])) missing.push('python3-venv');
  if (missing.length === 0) return;
  const canApt = process.getuid?.() === 0 && has('apt-get', ['--version']);
  if (!canApt) {
    throw new Error(`missing system tools: ${missing.join(', ')}. Install them, e.g.: sudo apt-get install -y ${missing.join(' ')}`);
  }
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function pythonHas(python, module) {
  return spawnSync(python, ['-c', `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('${module}') else 1)`], { stdio: 'ignore' }).status === 0;
}

// pip waits on unreachable indexes before it tries the next: no retries, short timeouts.
const PIP_FLAGS = ['--disable-pip-version-check', '--retries', '0', '--timeout', '10'];

function ensureVenv() {
  if (process.env.LIBTORCH || process.env.PLM_TORCH_PYTHON) {
    log(`libtorch chosen by ${process.env.LIBTORCH ? 'LIBTORCH' : 'PLM_TORCH_PYTHON'}; the project .venv is only used for the test oracles`);
  }
  if (!existsSync(venvPython)) run('python3', ['-m', 'venv', venv]);
  const wanted = ['torch', 'numpy'];
  // transformers is a test oracle only (never a runtime dependency); tests skip without it.
  if (process.env.PLM_TORCH_NO_TRANSFORMERS !== '1') wanted.push('transformers');
  const missing = wanted.filter((m) => !pythonHas(venvPython, m));
  if (missing.length === 0) return;
  try {
    run(venvPython, ['-m', 'pip', 'install', ...PIP_FLAGS, ...missing]);
  } catch (err) {
    if (missing.includes('torch')) throw err;
    log(`could not install ${missing.join(', ')}: tests that compare with it will skip (${err.message})`);
  }
}

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const entry of readdirSync(p)) visit(join(p, entry));
    else newest = Math.max(newest, s.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

function ensureNpmDependencies() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules/.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // The package's own install script builds the addon for users; here the steps below do.
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, PLM_TORCH_SKIP_INSTALL: '1' } });
}

function chosenLibtorch() {
  const out = execFileSync(process.execPath, [join(root, 'scripts/find-libtorch.mjs'), '--json'], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

async function ensureNativeBuild() {
  const addon = join(root, 'build/Release/plm_torch.node');
  const record = join(root, 'build/libtorch.json');
  const found = chosenLibtorch();
  const built = existsSync(addon) && existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : undefined;
  const sourcesChanged =
    !existsSync(addon) ||
    newestMtime([join(root, 'native'), join(root, 'CMakeLists.txt'), join(root, 'scripts/find-libtorch.mjs')]) > statSync(addon).mtimeMs;
  if (built && built.root === found.root && built.version === found.version && !sourcesChanged) return;
  log(`building the addon against libtorch ${found.version} (${found.source})`);
  // A build made against another libtorch keeps its CMake cache: start it afresh.
  if (built && built.root !== found.root) rmSync(join(root, 'build'), { recursive: true, force: true });
  const { buildAddon } = await import('./build-addon.mjs');
  const result = await buildAddon({ stream: process.stdout });
  if (!result.ok) throw new Error(`the addon's build failed:\n${result.tail}\n(the whole log is ${result.log})`);
}

function ensureTypeScriptBuild() {
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
}

try {
  ensureSystemTools();
  ensureVenv();
  ensureNpmDependencies();
  await ensureNativeBuild();
  ensureTypeScriptBuild();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  process.stderr.write(`[setup] ${err.message}\n`);
  process.exit(1);
}
