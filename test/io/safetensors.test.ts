import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { io, torch, type Tensor } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-st-'));
const skipPython = missingPython('torch', 'safetensors');

function sample(): Record<string, Tensor> {
  torch.manualSeed(4);
  return {
    f64: torch.randn([2, 3], { dtype: 'float64' }),
    f32: torch.randn([4]),
    f16: torch.randn([3, 1], { dtype: 'float16' }),
    bf16: torch.randn([5], { dtype: 'bfloat16' }),
    i64: torch.tensor([1n, -2n, 9007199254740993n]),
    i32: torch.tensor(new Int32Array([7, -8])),
    i16: torch.tensor([300, -300], { dtype: 'int16' }),
    i8: torch.tensor(new Int8Array([-128, 127])),
    u8: torch.tensor(new Uint8Array([0, 255])),
    bool: torch.tensor([true, false, true]),
    scalar: torch.tensor(1.5),
    empty: torch.zeros([0, 4]),
  };
}

/** Bytes of a tensor as stored, to compare bit for bit (half types included). */
function bits(x: Tensor): string {
  const raw = x.dtype === 'float16' || x.dtype === 'bfloat16' ? x.view('int16') : x;
  return JSON.stringify({ dtype: x.dtype, shape: x.shape, v: Array.from(raw.toTypedArray() as ArrayLike<number | bigint>, String) });
}

t.test('every dtype round-trips bit for bit, with metadata, sync and async', async (t) => {
  const tensors = sample();
  const path = join(dir, 'all.safetensors');
  io.saveSafetensors(path, tensors, { format: 'pt', note: 'hello' });
  const header = io.readSafetensorsHeader(path);
  t.same(header.metadata, { format: 'pt', note: 'hello' });
  t.equal((header.dataStart - 8) % 8, 0, 'header padded to 8 bytes');
  const loaded = io.loadSafetensors(path);
  t.same(Object.keys(loaded).sort(), Object.keys(tensors).sort());
  for (const [k, v] of Object.entries(tensors)) t.equal(bits(loaded[k]!), bits(v), k);
  const asyncPath = join(dir, 'async.safetensors');
  await io.saveSafetensorsAsync(asyncPath, tensors);
  const fromAsyncWrite = io.loadSafetensors(asyncPath);
  for (const [k, v] of Object.entries(tensors)) t.equal(bits(fromAsyncWrite[k]!), bits(v), `${k} (written async)`);
  const again = await io.loadSafetensorsAsync(path);
  for (const [k, v] of Object.entries(tensors)) t.equal(bits(again[k]!), bits(v), `${k} (async)`);
  t.notOk(readdirSync(dir).some((f) => f.includes('.tmp-')), 'no temporary files left');
});

t.test('files written by Python load bit for bit here, and ours load bit for bit in Python', { skip: skipPython }, async (t) => {
  const pyPath = join(dir, 'python.safetensors');
  const theirs = runPython<Record<string, { dtype: string; shape: number[]; bits: string[] }>>(
    `import torch
from safetensors.torch import save_file, load_file
torch.manual_seed(0)
ts = {'a': torch.randn(3, 2), 'b': torch.randn(4, dtype=torch.bfloat16), 'c': torch.randn(2, dtype=torch.float16),
      'd': torch.arange(5), 'e': torch.tensor([True, False]), 'f': torch.randn(2, 2, dtype=torch.float64)}
save_file(ts, inp['write'], metadata={'who': 'python'})
def bits(x):
    raw = x.view(torch.int16) if x.dtype in (torch.float16, torch.bfloat16) else x
    return [str(v) for v in raw.flatten().tolist()]
def name(x): return str(x.dtype).replace('torch.', '')
mine = load_file(inp['read'])
out({'python': {k: {'dtype': name(v), 'shape': list(v.shape), 'bits': bits(v)} for k, v in ts.items()},
     'ours': {k: {'dtype': name(v), 'shape': list(v.shape), 'bits': bits(v)} for k, v in mine.items()}})`,
    { write: pyPath, read: (io.saveSafetensors(join(dir, 'ours.safetensors'), sample()), join(dir, 'ours.safetensors')) },
  ) as unknown as Record<'python' | 'ours', Record<string, { dtype: string; shape: number[]; bits: string[] }>>;
  const loaded = io.loadSafetensors(pyPath);
  t.same(io.readSafetensorsHeader(pyPath).metadata, { who: 'python' });
  for (const [k, ref] of Object.entries(theirs.python)) {
    const mine = JSON.parse(bits(loaded[k]!)) as { dtype: string; shape: number[]; v: string[] };
    const expectedBits = ref.dtype === 'bool' ? ref.bits.map((b) => (b === 'True' ? '1' : '0')) : ref.bits;
    t.same([mine.dtype, mine.shape, mine.v], [ref.dtype, ref.shape, expectedBits], `python → here: ${k}`);
  }
  for (const [k, v] of Object.entries(sample())) {
    const mine = JSON.parse(bits(v)) as { dtype: string; shape: number[]; v: string[] };
    const ref = theirs.ours[k]!;
    const refBits = ref.dtype === 'bool' ? ref.bits.map((b) => (b === 'True' ? '1' : '0')) : ref.bits;
    t.same([ref.dtype, ref.shape, refBits], [mine.dtype, mine.shape, mine.v], `here → python: ${k}`);
  }
});

function header(json: unknown, pad = true): Buffer {
  let text = JSON.stringify(json);
  if (pad) text += ' '.repeat((8 - (text.length % 8)) % 8);
  const body = Buffer.from(text);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(body.length));
  return Buffer.concat([length, body]);
}

const hostile: [string, () => Buffer, RegExp][] = [
  ['too small for a header length', () => Buffer.from([1, 2, 3]), /has 3 bytes, too few for the 8-byte header length/],
  ['header length larger than the file', () => { const b = Buffer.alloc(16); b.writeBigUInt64LE(1000n); return b; }, /header length 1000 is larger than the rest of the file \(8 bytes\)/],
  ['header length of 2^64-1', () => { const b = Buffer.alloc(16); b.writeBigUInt64LE(2n ** 64n - 1n); return b; }, /header length 18446744073709551615 is larger than the rest of the file/],
  ['header not JSON', () => { const body = Buffer.from('{"a": [1,'); const l = Buffer.alloc(8); l.writeBigUInt64LE(BigInt(body.length)); return Buffer.concat([l, body]); }, /header is not valid JSON/],
  ['header a JSON array', () => header([1, 2]), /header is not a JSON object/],
  ['unknown dtype', () => Buffer.concat([header({ x: { dtype: 'F8_E5M2', shape: [1], data_offsets: [0, 1] } }), Buffer.alloc(1)]), /tensor 'x' has unknown dtype "F8_E5M2"/],
  ['shape that does not match the byte count', () => Buffer.concat([header({ x: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }), Buffer.alloc(20)]), /tensor 'x' of shape \[2, 3\] and dtype F32 needs 24 bytes, its data_offsets give 20/],
  ['offsets past the end (truncated file)', () => Buffer.concat([header({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }), Buffer.alloc(8)]), /tensor 'x' ends at byte 16 of the data section, which has 8/],
  ['overlapping tensors', () => Buffer.concat([header({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }), Buffer.alloc(12)]), /tensors 'a' and 'b' overlap/],
  ['negative shape', () => Buffer.concat([header({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } })]), /tensor 'x' has an invalid shape \[-1\]/],
  ['offsets reversed', () => Buffer.concat([header({ x: { dtype: 'U8', shape: [0], data_offsets: [4, 0] } }), Buffer.alloc(4)]), /tensor 'x' has invalid data_offsets \[4, 0\]/],
  ['metadata not strings', () => header({ __metadata__: { a: 1 } }), /__metadata__ must be an object of strings/],
];

for (const [name, make, message] of hostile) {
  t.test(`hostile file: ${name}`, async (t) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.safetensors`);
    writeFileSync(path, make());
    t.throws(() => io.loadSafetensors(path), { name: 'SafetensorsError', message });
    await t.rejects(io.loadSafetensorsAsync(path), { name: 'SafetensorsError', message });
    t.same(torch.ones([2]).sum().item(), 2, 'the process lives on');
  });
}

t.test('missing file and bad arguments are clear errors', async (t) => {
  t.throws(() => io.loadSafetensors(join(dir, 'nope.safetensors')), { code: 'ENOENT', message: /nope\.safetensors: no such file/ });
  t.throws(() => io.saveSafetensors(join(dir, 'x.safetensors'), { a: [1, 2] as unknown as Tensor }), /'a' must be a Tensor/);
  t.throws(() => io.saveSafetensors(join(dir, 'x.safetensors'), { a: torch.ones([1]) }, { n: 1 } as unknown as Record<string, string>), /metadata must be an object of strings/);
  t.notOk(existsSync(join(dir, 'x.safetensors')));
});

function residentBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

t.test('a large file loads without a second copy in memory', { skip: !existsSync('/proc/self/status') && 'needs /proc' }, async (t) => {
  const size = 256 * 1024 * 1024;
  const path = join(dir, 'big.safetensors');
  const big = torch.ones([size / 4]);
  io.saveSafetensors(path, { big });
  big.dispose();
  const before = residentBytes();
  const loaded = io.loadSafetensors(path);
  const grown = residentBytes() - before;
  t.ok(grown < size * 1.25, `resident memory grew by ${(grown / 2 ** 20).toFixed(0)} MiB for a ${size / 2 ** 20} MiB tensor`);
  t.equal(loaded.big!.sum().item(), size / 4);
  loaded.big!.dispose();
});

t.test('tensor names are plain keys, even __proto__ or constructor', async (t) => {
  const tensors: Record<string, torch.Tensor> = {};
  for (const [name, value] of [['__proto__', 1], ['constructor', 2], ['weight', 3]] as const) {
    Object.defineProperty(tensors, name, { value: torch.tensor([value]), enumerable: true });
  }
  const path = join(dir, 'odd-names.safetensors');
  io.saveSafetensors(path, tensors);
  const back = io.loadSafetensors(path);
  t.same(Object.keys(back).sort(), ['__proto__', 'constructor', 'weight']);
  t.same(Object.getOwnPropertyDescriptor(back, '__proto__')!.value.toArray(), [1]);
  t.same(back['constructor' as string]!.toArray(), [2]);
});
