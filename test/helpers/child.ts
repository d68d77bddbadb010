// Runs a snippet in a fresh node process with a time limit, so a case that hangs or aborts
// V8 fails its test instead of the suite: the body sees `plm` (the built package), its
// `torch`, `nn` and `optim`, and `out(value)`, which hands a JSON value back.
import { spawnSync } from 'node:child_process';

const lib = new URL('../../lib/index.js', import.meta.url).href;

export interface ChildResult {
  /** What the body passed to out(), or undefined. */
  result: unknown;
  status: number | null;
  signal: string | null;
  /** The time limit killed it. */
  timedOut: boolean;
  stderr: string;
  /** Wall time of the whole child, start-up included. */
  ms: number;
}

export function runChild(body: string, options: { timeoutMs?: number; nodeFlags?: string[] } = {}): ChildResult {
  const code = `const plm = await import(${JSON.stringify(lib)});
const { torch, nn, optim } = plm;
const out = (v) => console.log('@@' + JSON.stringify(v));
${body}`;
  const started = Date.now();
  const child = spawnSync(process.execPath, [...(options.nodeFlags ?? []), '--input-type=module', '-e', code], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 26,
  });
  const ms = Date.now() - started;
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@'));
  const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { result: line ? JSON.parse(line.slice(2)) : undefined, status: child.status, signal: child.signal, timedOut, stderr: child.stderr ?? '', ms };
}

/** Each case: [label, thunk source]; the child reports each one's error (or value) and time. */
export function errorsOf(setup: string, cases: Record<string, string>, options: { timeoutMs?: number } = {}): ChildResult & { errors: Record<string, { name: string; message: string; ms: number } | null> } {
  const r = runChild(
    `${setup}
const cases = { ${Object.entries(cases).map(([k, v]) => `${JSON.stringify(k)}: () => { ${v}; }`).join(',\n')} };
const errors = {};
for (const [k, f] of Object.entries(cases)) {
  const t0 = performance.now();
  try { f(); errors[k] = null; } catch (e) { errors[k] = { name: e.name, message: String(e.message), ms: performance.now() - t0 }; }
}
out(errors);`,
    options,
  );
  return { ...r, errors: (r.result ?? {}) as Record<string, { name: string; message: string; ms: number } | null> };
}
