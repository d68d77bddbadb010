#!/usr/bin/env node
// Finds the one libtorch that plm-torch builds against and loads.
// Order: LIBTORCH (a libtorch folder) → the torch of PLM_TORCH_PYTHON, else of the
// project's .venv, else of `plm-torch setup`'s venv (in the user's cache), else of python3 →
// system paths. libtorch 2.1 or newer.
// Everything is read from files (headers, cmake config, the libraries themselves), so
// nothing here imports torch or runs code from the installation.
//
// Usage:
//   node scripts/find-libtorch.mjs            human-readable summary
//   node scripts/find-libtorch.mjs --json     the record as JSON
//   node scripts/find-libtorch.mjs --cmake F  write a CMake include file F
//   node scripts/find-libtorch.mjs --gyp include|libraries|ldflags|defines
import { existsSync, readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 2;
const MIN_MINOR = 1;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Reads TORCH_VERSION_{MAJOR,MINOR,PATCH} from whichever header this version keeps them in. */
function readVersion(includeDir) {
  const headers = [
    'torch/headeronly/version.h',
    'torch/csrc/api/include/torch/version.h',
  ];
  for (const rel of headers) {
    const file = join(includeDir, rel);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const get = (name) => {
      const m = text.match(new RegExp(`#define\\s+TORCH_VERSION_${name}\\s+(\\d+)`));
      return m ? Number(m[1]) : undefined;
    };
    const major = get('MAJOR');
    const minor = get('MINOR');
    const patch = get('PATCH');
    if (major !== undefined && minor !== undefined) {
      return { major, minor, patch: patch ?? 0, text: `${major}.${minor}.${patch ?? 0}` };
    }
  }
  return undefined;
}

function libFile(libDir, name) {
  const file = join(libDir, `lib${name}.so`);
  return existsSync(file) ? file : undefined;
}

/** The C++ ABI libtorch was built with: its cmake flags say so; else its mangled names do. */
function readCxx11Abi(root, libDir, version) {
  const config = join(root, 'share/cmake/Torch/TorchConfig.cmake');
  if (existsSync(config)) {
    const m = readFileSync(config, 'utf8').match(/_GLIBCXX_USE_CXX11_ABI=(\d)/);
    if (m) return Number(m[1]);
  }
  const c10 = libFile(libDir, 'c10');
  if (c10 && readFileSync(c10).includes('B5cxx11')) return 1;
  return version.major > 2 || version.minor >= 7 ? 1 : 0;
}

/** Checks one candidate; returns the record or a reason it was rejected. */
function inspect(root, includeDir, libDir, source) {
  if (!existsSync(includeDir) || !existsSync(join(includeDir, 'ATen/ATen.h'))) {
    return { rejected: `${source}: no ATen headers under ${includeDir}` };
  }
  const version = readVersion(includeDir);
  if (!version) return { rejected: `${source}: no TORCH_VERSION in the headers under ${includeDir}` };
  if (version.major < MIN_MAJOR || (version.major === MIN_MAJOR && version.minor < MIN_MINOR)) {
    return { rejected: `${source}: libtorch ${version.text} at ${root} is older than ${MIN_MAJOR}.${MIN_MINOR}` };
  }
  const torch = libFile(libDir, 'torch');
  const torchCpu = libFile(libDir, 'torch_cpu');
  const c10 = libFile(libDir, 'c10');
  if (!torch || !torchCpu || !c10) {
    return { rejected: `${source}: libtorch.so, libtorch_cpu.so or libc10.so missing in ${libDir}` };
  }
  const torchCuda = libFile(libDir, 'torch_cuda');
  const c10Cuda = libFile(libDir, 'c10_cuda');
  const libraries = [torch, torchCpu, c10];
  if (torchCuda) libraries.push(torchCuda);
  if (c10Cuda) libraries.push(c10Cuda);
  const apiInclude = join(includeDir, 'torch/csrc/api/include');
  return {
    source,
    root,
    version: version.text,
    versionMajor: version.major,
    versionMinor: version.minor,
    cuda: Boolean(torchCuda),
    cxx11Abi: readCxx11Abi(root, libDir, version),
    includeDirs: existsSync(apiInclude) ? [includeDir, apiInclude] : [includeDir],
    libDir,
    libraries,
  };
}

function fromFolder(root, source) {
  return inspect(root, join(root, 'include'), join(root, 'lib'), source);
}

/** Where `plm-torch setup` keeps its venv: $XDG_CACHE_HOME/plm-torch, else ~/.cache/plm-torch. */
export function cacheDir(env = process.env) {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'plm-torch');
}

export function cacheVenvPython(env = process.env) {
  return join(cacheDir(env), 'venv/bin/python');
}

/** Asks a Python interpreter where its torch package lies, without importing torch. */
function torchFolderOfPython(python) {
  try {
    const out = execFileSync(
      python,
      ['-c', "import importlib.util as u; s = u.find_spec('torch'); print(s.submodule_search_locations[0] if s else '')"],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30000 },
    ).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

export function findLibtorch(env = process.env) {
  const tried = [];
  const attempt = (result) => {
    if (result.rejected) {
      tried.push(result.rejected);
      return undefined;
    }
    return result;
  };

  if (env.LIBTORCH) {
    // An explicit choice is final: never fall through to another installation.
    const result = fromFolder(resolve(env.LIBTORCH), 'LIBTORCH');
    if (result.rejected) throw new LibtorchNotFound([result.rejected]);
    return result;
  }

  const pythons = [];
  if (env.PLM_TORCH_PYTHON) pythons.push(['PLM_TORCH_PYTHON', env.PLM_TORCH_PYTHON]);
  else {
    const venvPython = join(projectRoot, '.venv/bin/python');
    if (existsSync(venvPython)) pythons.push(['the project .venv', venvPython]);
    const setupPython = cacheVenvPython(env);
    if (existsSync(setupPython)) pythons.push(["plm-torch setup's venv", setupPython]);
    pythons.push(['python3', 'python3']);
  }
  for (const [label, python] of pythons) {
    const folder = torchFolderOfPython(python);
    if (!folder) {
      tried.push(`${label} (${python}): no torch package`);
      continue;
    }
    const found = attempt(fromFolder(folder, `${label} (${python})`));
    if (found) return found;
  }

  const systemRoots = ['/usr/local/libtorch', '/opt/libtorch', '/usr/local'];
  for (const root of systemRoots) {
    if (!existsSync(join(root, 'include/ATen/ATen.h'))) continue;
    const found = attempt(fromFolder(root, `system (${root})`));
    if (found) return found;
  }
  // Debian's libtorch-dev: headers in /usr/include, libraries in the multiarch folder.
  if (existsSync('/usr/include/ATen/ATen.h')) {
    const multiarch = readdirSync('/usr/lib').find((d) => /-linux-gnu$/.test(d));
    const libDir = multiarch ? join('/usr/lib', multiarch) : '/usr/lib';
    const found = attempt(inspect('/usr', '/usr/include', libDir, 'system (/usr)'));
    if (found) return found;
  }
  throw new LibtorchNotFound(tried);
}

export class LibtorchNotFound extends Error {
  constructor(tried) {
    super(
      [
        `plm-torch needs libtorch ${MIN_MAJOR}.${MIN_MINOR} or newer and found none it can use.`,
        ...(tried.length ? ['Looked at:', ...tried.map((t) => `  - ${t}`)] : []),
        'Run `npx plm-torch setup`: it installs torch in a private venv and builds the addon',
        '(`--python PY` to use the torch of another Python, `--libtorch DIR` for an unpacked libtorch).',
      ].join('\n'),
    );
    this.name = 'LibtorchNotFound';
  }
}

function cmakeList(values) {
  return values.map((v) => `"${v}"`).join(' ');
}

function writeCmake(file, found) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      '# Written by scripts/find-libtorch.mjs; do not edit.',
      `set(PLM_LIBTORCH_ROOT "${found.root}")`,
      `set(PLM_LIBTORCH_VERSION "${found.version}")`,
      `set(PLM_LIBTORCH_LIBDIR "${found.libDir}")`,
      `set(PLM_LIBTORCH_CUDA ${found.cuda ? 'ON' : 'OFF'})`,
      `set(PLM_LIBTORCH_CXX11_ABI ${found.cxx11Abi})`,
      `set(PLM_LIBTORCH_INCLUDE_DIRS ${cmakeList(found.includeDirs)})`,
      `set(PLM_LIBTORCH_LIBRARIES ${cmakeList(found.libraries)})`,
      '',
    ].join('\n'),
  );
  // The same record as JSON beside it, for `plm-torch doctor` and the tests.
  writeFileSync(join(dirname(file), 'libtorch.json'), `${JSON.stringify(found, null, 2)}\n`);
}

function main(argv) {
  let found;
  try {
    found = findLibtorch();
  } catch (err) {
    if (err instanceof LibtorchNotFound) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const [flag, arg] = argv;
  if (flag === '--json') {
    process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
  } else if (flag === '--cmake') {
    writeCmake(resolve(arg), found);
  } else if (flag === '--gyp') {
    // binding.gyp expands these with <!@(...): one item a line.
    const items = {
      include: found.includeDirs,
      libraries: found.libraries,
      ldflags: ['-Wl,--disable-new-dtags', `-Wl,-rpath,${found.libDir}`, '-Wl,--no-as-needed'],
      defines: [
        `_GLIBCXX_USE_CXX11_ABI=${found.cxx11Abi}`,
        `PLM_LIBTORCH_ROOT="${found.root}"`,
      ],
    }[arg];
    if (!items) throw new Error(`--gyp takes include, libraries, ldflags or defines, not ${arg}`);
    // gyp splits <!@(...) output like a shell: quote each item so that spaces and the quotes of
    // a string macro survive.
    const shellQuote = (item) => `'${item.replaceAll("'", "'\\''")}'`;
    process.stdout.write(`${items.map(shellQuote).join('\n')}\n`);
  } else {
    process.stdout.write(
      `libtorch ${found.version} (${found.cuda ? 'CUDA' : 'CPU'}, C++11 ABI ${found.cxx11Abi}) from ${found.source}\n  ${found.root}\n`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
