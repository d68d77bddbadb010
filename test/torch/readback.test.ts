// Reading a tensor back into JavaScript under a memory cap: a copy that cannot fit is a
// TorchError (TORCH_OOM), never V8's fatal "ArrayBuffer allocation failed" abort. Runs in a
// child with `ulimit -v` so the cap is real and the test process keeps its memory.
import t from 'tap';
import { spawnSync } from 'node:child_process';

const lib = new URL('../../lib/index.js', import.meta.url).href;

/** Runs `body` (which sees `torch` and `out(value)`) in a node child under a 4 GB address-space cap. */
function capped(body: string): { status: number | null; signal: string | null; stderr: string; result: unknown } {
  const code = `const { torch } = await import(${JSON.stringify(lib)});
const out = (v) => console.log('@@' + JSON.stringify(v));
${body}`;
  const child = spawnSync('bash', ['-c', 'ulimit -v 4000000 && exec "$0" --input-type=module -e "$1"', process.execPath, code], { encoding: 'utf8', timeout: 120_000 });
  const line = child.stdout.split('\n').find((l) => l.startsWith('@@'));
  return { status: child.status, signal: child.signal, stderr: child.stderr, result: line ? JSON.parse(line.slice(2)) : undefined };
}

t.test('a read-back larger than the memory is a TORCH_OOM error and the process goes on', async (t) => {
  const r = capped(`
const big = torch.zeros([1]).expand([6e8]); // 2.4 GB as float32, a view of one element
const seen = [];
for (const read of [() => big.toTypedArray(), () => big.toArray()]) {
  try { read(); seen.push('no error'); } catch (e) { seen.push([e.name, e.code, e.message]); }
}
out({ seen, after: torch.tensor([1, 2]).sum().item() });`);
  t.equal(r.signal, null, `no abort: ${r.stderr.slice(0, 400)}`);
  t.equal(r.status, 0, r.stderr.slice(0, 400));
  const { seen, after } = r.result as { seen: [string, string, string][]; after: number };
  for (const [name, code, message] of seen) {
    t.equal(name, 'TorchError');
    t.equal(code, 'TORCH_OOM');
    // Whichever copy fails first: the contiguous copy in libtorch, or the buffer for JavaScript.
    t.match(message, /^out of memory(: reading back 2400000000 bytes \(600000000 elements\)| \(CPU\): you tried to allocate 2400000000 bytes)/);
    t.notMatch(message, /enforce fail|alloc_cpu\.cpp/, 'no libtorch source location');
  }
  t.equal(seen.length, 2);
  t.equal(after, 3, 'the process still computes');
});
