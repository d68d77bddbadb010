// Reading a tensor back into JavaScript under a memory cap: a copy that cannot fit is a
// TorchError (TORCH_OOM), never V8's fatal "ArrayBuffer allocation failed" abort. Runs in a
// child with `ulimit -v` so the cap is real and the test process keeps its memory.
import t from 'tap';
import { spawnSync } from 'node:child_process';

import { runChild } from '../helpers/child.js';

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

t.test('toArray() refuses at once what V8 cannot hold; toTypedArray() of an empty tensor is empty at once', async (t) => {
  const r = runChild(`
const res = {};
const run = (k, f) => { const t0 = performance.now(); try { const v = f(); res[k] = { value: v, ms: performance.now() - t0 }; } catch (e) { res[k] = { name: e.name, message: e.message, ms: performance.now() - t0 }; } };
run('emptyTyped', () => { const a = torch.zeros([3e8, 0]).toTypedArray(); return [a.constructor.name, a.length]; });
run('emptyTypedDeep', () => torch.zeros([3e7, 0, 3e7], { dtype: 'int64' }).toTypedArray().constructor.name);
run('emptyArrays', () => torch.zeros([3e8, 0]).toArray());
run('manyRows', () => torch.zeros([1, 1], { dtype: 'bool' }).expand([2e8, 1]).toArray());
run('tooLong', () => torch.zeros([1], { dtype: 'bool' }).expand([2 ** 27]).toArray());
run('fits', () => torch.zeros([4e6, 0]).toArray().length);
run('smallEmpty', () => torch.zeros([2, 0, 3]).toArray());
out(res);`);
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.signal, null, r.stderr.slice(0, 500));
  t.equal(r.status, 0, r.stderr.slice(0, 500));
  const res = r.result as Record<string, { value?: unknown; name?: string; message?: string; ms: number }>;
  t.same(res.emptyTyped!.value, ['Float32Array', 0]);
  t.equal(res.emptyTypedDeep!.value, 'BigInt64Array');
  t.equal(res.emptyArrays!.name, 'RangeError');
  t.equal(res.emptyArrays!.message, 'toArray(): a tensor of shape [300000000, 0] would be 300000001 nested arrays, more than the 16777216 toArray() builds; use toTypedArray() (its elements in row-major order, without the nesting) or read it in pieces');
  t.equal(res.manyRows!.name, 'RangeError');
  t.match(res.manyRows!.message, /^toArray\(\): a tensor of shape \[200000000, 1\] would be 200000001 nested arrays, .*toTypedArray\(\)/);
  t.equal(res.tooLong!.name, 'RangeError');
  t.match(res.tooLong!.message, /^toArray\(\): a tensor of shape \[134217728\] needs an array of 134217728 elements, more than the 134217725 a JavaScript array holds; use toTypedArray\(\)/);
  t.equal(res.fits!.value, 4e6, 'below the bound, empty rows are built');
  t.same(res.smallEmpty!.value, [[], []]);
  for (const k of ['emptyTyped', 'emptyTypedDeep', 'emptyArrays', 'manyRows']) t.ok(res[k]!.ms < 1000, `${k} took ${res[k]!.ms.toFixed(0)} ms`);
});

t.test('toArray() past the JavaScript heap is a RangeError before it is built', async (t) => {
  // 64 Mi booleans want 512 MB of arrays; this child's heap is 256 MB.
  const r = runChild(
    `try { torch.zeros([1, 1], { dtype: 'bool' }).expand([4096, 16384]).toArray(); out('no error'); } catch (e) { out([e.name, e.message]); }`,
    { nodeFlags: ['--max-old-space-size=256'] },
  );
  t.equal(r.timedOut, false, 'finished within the limit');
  t.equal(r.signal, null, r.stderr.slice(0, 500));
  const [name, message] = r.result as [string, string];
  t.equal(name, 'RangeError');
  t.match(message, /^toArray\(\): a tensor of shape \[4096, 16384\] needs about 512 MB of JavaScript heap, and V8 has \d+ MB left \(node --max-old-space-size raises the limit\); use toTypedArray\(\)/);
});
