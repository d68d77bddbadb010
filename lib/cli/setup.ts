// plm-torch setup: from `npm i plm-torch` to a working addon. Finds a libtorch as the build does
// (or installs pip's torch into a private venv in the user's cache when there is none), builds
// the addon against it with its progress shown, and ends with doctor's summary. Idempotent.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

import { packageRoot } from '../package-root.js';
import { parseCommand, UsageError } from './args.js';
import { buildAddonScript, findLibtorchScript, type LibtorchRecord } from './build-scripts.js';

const HELP = `Usage: plm-torch setup [--cpu | --cuda] [--python PY | --libtorch DIR] [options]

Makes plm-torch ready to run. Finds a libtorch (LIBTORCH, PLM_TORCH_PYTHON, a project .venv,
this command's own venv, python3's torch, system folders) or, when there is none, creates a
venv under $XDG_CACHE_HOME/plm-torch (else ~/.cache/plm-torch) and installs pip's torch there;
then builds the native addon against it (a few minutes, once) and prints doctor's summary.
Run it again at any time: it does only what is missing.

  --cpu             install the CPU build of torch (the default unless nvidia-smi sees a GPU)
  --cuda            install the CUDA build of torch
  --python PY       use the torch of this Python (as PLM_TORCH_PYTHON does)
  --libtorch DIR    use an unpacked libtorch folder (as LIBTORCH does)
  --index-url URL   the package index pip installs torch from
  --rebuild         build the addon again even when it is up to date
`;

// As scripts/setup.mjs: an unreachable index answers quickly instead of after minutes of retries.
const PIP_FLAGS = ['--disable-pip-version-check', '--retries', '0', '--timeout', '10'];
const CPU_INDEX = 'https://download.pytorch.org/whl/cpu';

function say(message: string): void {
  process.stderr.write(`[plm-torch] ${message}\n`);
}

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  say(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit code ${result.status ?? result.signal})`);
}

/** Creates (or reuses) the cache venv and installs torch into it. */
function installTorch(venvPython: string, options: { cuda: boolean; indexUrl?: string }, env: NodeJS.ProcessEnv): void {
  const venv = dirname(dirname(venvPython));
  if (!existsSync(venvPython)) {
    if (!succeeds('python3', ['-c', 'import venv, ensurepip'])) {
      throw new Error('setup needs Python 3 with its venv module to install torch (Debian/Ubuntu: sudo apt-get install python3-venv), or --python PY / --libtorch DIR for a torch you have');
    }
    run('python3', ['-m', 'venv', venv], env, `creating the venv ${venv}`);
  }
  const index = options.indexUrl ?? (options.cuda ? undefined : CPU_INDEX);
  say(`installing the ${options.cuda ? 'CUDA' : 'CPU'} build of torch into ${venv}`);
  run(venvPython, ['-m', 'pip', 'install', ...PIP_FLAGS, ...(index ? ['--index-url', index] : []), 'torch>=2.1'], env, 'pip install torch');
}

interface BuildRecord {
  root?: string;
  version?: string;
}

/** True when build/ holds an addon made against `found` that loads in a fresh process. */
function addonUpToDate(found: LibtorchRecord): boolean {
  const addon = join(packageRoot, 'build/Release/plm_torch.node');
  const recordFile = join(packageRoot, 'build/libtorch.json');
  if (!existsSync(addon) || !existsSync(recordFile)) return false;
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8')) as BuildRecord;
  } catch {
    return false;
  }
  if (record.root !== found.root || record.version !== found.version) return false;
  const gypBuild = createRequire(import.meta.url).resolve('node-gyp-build');
  return succeeds(process.execPath, ['-e', `require(${JSON.stringify(gypBuild)})(${JSON.stringify(packageRoot)})`]);
}

export async function setup(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      cpu: { type: 'boolean', default: false },
      cuda: { type: 'boolean', default: false },
      python: { type: 'string' },
      libtorch: { type: 'string' },
      'index-url': { type: 'string' },
      rebuild: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  if (values.cpu && values.cuda) throw new UsageError('give --cpu or --cuda, not both');
  if (values.python !== undefined && values.libtorch !== undefined) throw new UsageError('give --python or --libtorch, not both');
  const started = Date.now();
  const { findLibtorch, LibtorchNotFound, cacheVenvPython } = await findLibtorchScript();

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (values.libtorch !== undefined) {
    if (!existsSync(values.libtorch)) throw new UsageError(`--libtorch: ${values.libtorch} does not exist`);
    env.LIBTORCH = resolve(values.libtorch);
    delete env.PLM_TORCH_PYTHON;
  } else if (values.python !== undefined) {
    env.PLM_TORCH_PYTHON = values.python;
    delete env.LIBTORCH;
  }
  const chosen = env.LIBTORCH !== undefined || env.PLM_TORCH_PYTHON !== undefined;

  let found: LibtorchRecord;
  try {
    found = findLibtorch(env);
  } catch (err) {
    // An explicit choice that does not hold a usable libtorch is the user's to fix.
    if (!(err instanceof LibtorchNotFound) || chosen) throw err;
    const cuda = values.cuda || (!values.cpu && succeeds('nvidia-smi', ['-L']));
    installTorch(cacheVenvPython(env), { cuda, indexUrl: values['index-url'] }, env);
    found = findLibtorch(env);
  }
  say(`libtorch ${found.version} (${found.cuda ? 'CUDA' : 'CPU'}) from ${found.source}`);

  if (!values.rebuild && addonUpToDate(found)) {
    say('the native addon is built against it and loads');
  } else {
    if (!succeeds('cmake', ['--version']) || !(succeeds('c++', ['--version']) || succeeds('g++', ['--version']) || succeeds('clang++', ['--version']))) {
      throw new Error('building the addon needs cmake and a C++ compiler (Debian/Ubuntu: sudo apt-get install cmake g++; macOS: xcode-select --install and brew install cmake)');
    }
    // A build made against another libtorch keeps its CMake cache: start it afresh.
    rmSync(join(packageRoot, 'build'), { recursive: true, force: true });
    const { buildAddon } = await buildAddonScript();
    const result = await buildAddon({ env, stream: process.stderr });
    if (!result.ok) {
      process.stderr.write(`${result.tail}\n`);
      throw new Error(`the addon's build failed; the whole log is ${result.log}`);
    }
  }
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const doctor = spawnSync(process.execPath, [join(packageRoot, 'bin/plm-torch.js'), 'doctor', '--seconds', '0.25', '--size', '512'], { stdio: 'inherit', env: process.env });
  return doctor.status ?? 1;
}
