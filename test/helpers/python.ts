// Python as a test oracle: PyTorch, transformers and safetensors from the project .venv (or
// PLM_TORCH_PYTHON). Tests that need a module skip with the reason when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const python = process.env.PLM_TORCH_PYTHON ?? join(root, '.venv/bin/python');

const availability = new Map<string, boolean>();

/** false, or a skip reason naming what is missing. */
export function missingPython(...modules: string[]): string | false {
  if (!existsSync(python)) return `no Python at ${python} (npm test sets up .venv)`;
  for (const m of modules) {
    if (!availability.has(m)) {
      const r = spawnSync(python, ['-c', `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('${m}') else 1)`]);
      availability.set(m, r.status === 0);
    }
    if (!availability.get(m)) return `Python module ${m} is not installed in ${python}`;
  }
  return false;
}

/**
 * Runs `script` with `input` as JSON on stdin (the script reads `inp`) and returns what it
 * prints with `out(value)` as JSON.
 */
export function runPython<T>(script: string, input: unknown = null): T {
  const prelude = 'import json, sys\ninp = json.loads(sys.stdin.read())\ndef out(v):\n    print("@@RESULT@@" + json.dumps(v))\n';
  const result = spawnSync(python, ['-c', prelude + script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  const line = result.stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
  if (!line) throw new Error(`python printed no result: ${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('@@RESULT@@'.length)) as T;
}

/**
 * runPython without blocking the event loop, for scripts that talk to a server this process
 * runs; `env` is added to this process's environment.
 */
export function runPythonAsync<T>(script: string, input: unknown = null, env: Record<string, string> = {}): Promise<T> {
  const prelude = 'import json, sys\ninp = json.loads(sys.stdin.read())\ndef out(v):\n    print("@@RESULT@@" + json.dumps(v))\n';
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', prelude + script], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`python failed: ${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
      if (!line) return reject(new Error(`python printed no result: ${stdout}\n${stderr}`));
      resolve(JSON.parse(line.slice('@@RESULT@@'.length)) as T);
    });
    child.stdin.end(JSON.stringify(input));
  });
}
