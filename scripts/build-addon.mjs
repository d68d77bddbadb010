// Builds the native addon with cmake-js, the one way every path builds it: `npm i` (install.mjs),
// `plm-torch setup`, and a clone's scripts/setup.mjs. Two things make it dependable:
// - cmake-js gets the running Node's own headers (<prefix>/include/node) through
//   npm_config_nodedir, so no build depends on npm's environment (under npm, a ~/.npmrc
//   `nodedir` is exported; run directly, cmake-js would try to download headers).
// - its ~100 lines of output go to build/build.log; the terminal sees the compile steps and
//   the elapsed time, and on failure the last lines of the log and where the rest is.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder holding include/node/node.h for this Node, or undefined when it has none. */
export function nodeHeadersDir(execPath = process.execPath) {
  const prefix = dirname(dirname(execPath));
  return existsSync(join(prefix, 'include/node/node.h')) ? prefix : undefined;
}

/** `env` with cmake-js pointed at this Node's headers when they exist. */
export function buildEnvironment(env = process.env) {
  const headers = nodeHeadersDir();
  return headers ? { ...env, npm_config_nodedir: headers } : { ...env };
}

function duration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Shows the build's progress on `stream`: on a terminal one line rewritten in place, elsewhere a
 * line at each quarter of the compile steps and every 30 s of silence (a sign of life in logs).
 */
export function progressDisplay(stream) {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let state = { phase: 'configuring', done: 0, total: 0 };
  let lastQuarter = -1;
  let lastLine = Date.now();
  const text = () => `[plm-torch] building the native addon: ${state.phase}${state.total ? ` ${state.done}/${state.total}` : ''} · ${duration(Date.now() - started)}`;
  const show = (force = false) => {
    if (tty) stream.write(`\r\x1b[K${text()}`);
    else {
      const quarter = state.total ? Math.floor((4 * state.done) / state.total) : -1;
      if (force || quarter !== lastQuarter || Date.now() - lastLine > 30_000) {
        stream.write(`${text()}\n`);
        lastQuarter = quarter;
        lastLine = Date.now();
      }
    }
  };
  const timer = setInterval(() => show(), tty ? 1000 : 5000);
  timer.unref();
  show(true);
  return {
    update(next) {
      state = { ...state, ...next };
      show();
    },
    finish(message) {
      clearInterval(timer);
      stream.write(tty ? `\r\x1b[K${message}\n` : `${message}\n`);
    },
    elapsed: () => Date.now() - started,
  };
}

/** Reads cmake-js/ninja/make progress from one output line. */
export function parseBuildLine(line) {
  const ninja = /^\[(\d+)\/(\d+)\]/.exec(line);
  if (ninja) return { phase: /Linking/.test(line) ? 'linking' : 'compiling', done: Number(ninja[1]), total: Number(ninja[2]) };
  const make = /^\[\s*(\d+)%\]/.exec(line);
  if (make) return { phase: /Linking/.test(line) ? 'linking' : 'compiling', done: Number(make[1]), total: 100 };
  if (/-- Configuring|-- The CXX compiler|-- Detecting/.test(line)) return { phase: 'configuring' };
  return undefined;
}

/**
 * Runs `cmake-js compile --out build` in the package root. Resolves with { ok, ms, log, tail }:
 * never rejects for a failed build, so callers decide how loud to be.
 */
export function buildAddon({ env = process.env, stream = process.stderr, root = packageRoot } = {}) {
  const require = createRequire(import.meta.url);
  const local = join(root, 'node_modules/cmake-js/bin/cmake-js');
  const cli = existsSync(local) ? local : require.resolve('cmake-js/bin/cmake-js');
  mkdirSync(join(root, 'build'), { recursive: true });
  const log = join(root, 'build/build.log');
  const fd = openSync(log, 'w');
  const display = progressDisplay(stream);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'compile', '--out', 'build'], { cwd: root, env: buildEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const onData = (chunk) => {
      writeSync(fd, chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const progress = parseBuildLine(line.trim());
        if (progress) display.update(progress);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const finish = (code, error) => {
      closeSync(fd);
      const ms = display.elapsed();
      const ok = code === 0;
      const tail = ok ? '' : readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() && !/^info |^\s*$/.test(l)).slice(-12).join('\n');
      display.finish(ok ? `[plm-torch] built the native addon in ${duration(ms)}` : `[plm-torch] the native addon's build failed after ${duration(ms)}${error ? ` (${error.message})` : ''}`);
      resolve({ ok, ms, log, tail });
    };
    child.on('error', (err) => finish(1, err));
    child.on('close', (code) => finish(code ?? 1));
  });
}

/** Writes to the user's terminal even when npm hides an install script's output; else to stderr. */
export function terminalStream() {
  if (process.stderr.isTTY) return process.stderr;
  try {
    const fd = openSync('/dev/tty', 'w');
    return { isTTY: true, write: (text) => writeSync(fd, text) };
  } catch {
    return process.stderr;
  }
}
