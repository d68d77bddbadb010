// The public surface under hostile arguments: seeded batches of calls, each batch in a child
// process under a 4 GB address-space cap, must end without an abort, a crash, an uncaught
// exception or a call that takes more than 10 s. A failure names the call and its seed
// (test/fuzz/child.ts writes each call before making it).
//
// A longer run: PLM_FUZZ_CALLS=20000 PLM_FUZZ_SEED=100 npm test -- --timeout=3600 dist/test/fuzz/fuzz.test.js
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./child.js', import.meta.url));
const totalCalls = Number(process.env.PLM_FUZZ_CALLS ?? 2000);
const firstSeed = Number(process.env.PLM_FUZZ_SEED ?? 1);
const batchCalls = Number(process.env.PLM_FUZZ_BATCH ?? 500);
const parallel = Number(process.env.PLM_FUZZ_JOBS ?? 2);
const logs = mkdtempSync(join(tmpdir(), 'plm-fuzz-logs-'));

interface Summary {
  seed: number;
  calls: number;
  targets: number;
  returned: number;
  threw: number;
  slow: string[];
  engineMessages: Record<string, number>;
}

interface BatchResult {
  seed: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
  lastCall: string;
  summary?: Summary;
}

function runBatch(seed: number, calls: number): Promise<BatchResult> {
  const log = join(logs, `seed-${seed}.log`);
  // Past 20 ms a call on average plus the setup, the batch is stuck: a hang fails, it does not stall the suite.
  const limitMs = 60_000 + calls * 40;
  return new Promise((resolve) => {
    const proc = spawn('bash', ['-c', 'ulimit -v 4000000 && exec "$0" "$@"', process.execPath, child, String(seed), String(calls), log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, limitMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      const fatal = lines.find((l) => l.startsWith('FATAL'));
      const lastCall = fatal ?? lines.filter((l) => l !== 'DONE').at(-1) ?? '(none)';
      const line = stdout.split('\n').find((l) => l.startsWith('@@'));
      resolve({ seed, code, signal, timedOut, stderr, lastCall, summary: line ? (JSON.parse(line.slice(2)) as Summary) : undefined });
    });
  });
}

t.test(`${totalCalls} calls over the public API, in batches of ${batchCalls}, end without an abort or a hang`, async (t) => {
  const seeds = Array.from({ length: Math.ceil(totalCalls / batchCalls) }, (_, i) => firstSeed + i);
  const results: BatchResult[] = [];
  const queue = [...seeds];
  await Promise.all(
    Array.from({ length: Math.min(parallel, seeds.length) }, async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) results.push(await runBatch(seed, batchCalls));
    }),
  );
  const engine: Record<string, number> = {};
  let calls = 0;
  let threw = 0;
  for (const r of results.sort((a, b) => a.seed - b.seed)) {
    const where = `seed ${r.seed}, last call: ${r.lastCall.slice(0, 600)}`;
    t.equal(r.timedOut, false, `batch ${r.seed} finished in time (${where})`);
    t.equal(r.signal, null, `batch ${r.seed} was not killed by a signal (${where}) ${r.stderr.slice(-800)}`);
    t.equal(r.code, 0, `batch ${r.seed} exited cleanly (${where}) ${r.stderr.slice(-800)}`);
    t.same(r.summary?.slow ?? [], [], `batch ${r.seed}: no call took over 10 s`);
    if (r.summary) {
      calls += r.summary.calls;
      threw += r.summary.threw;
      for (const [k, v] of Object.entries(r.summary.engineMessages)) engine[k] = (engine[k] ?? 0) + v;
    }
  }
  t.equal(calls, seeds.length * batchCalls, 'every call was made');
  const engineCount = Object.values(engine).reduce((a, b) => a + b, 0);
  t.comment(`${calls} calls over ${results[0]?.summary?.targets ?? '?'} functions, methods, getters and constructors: ${threw} refused, ${engineCount} of them with an engine message rather than our own`);
  for (const [k, v] of Object.entries(engine).sort((a, b) => b[1] - a[1]).slice(0, 15)) t.comment(`  ${v} × ${k}`);
});
