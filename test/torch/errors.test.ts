// Bad calls: each gets the right error class and a message that names the problem, and
// the process lives on.
import t from 'tap';

import { nn, optim, torch, TorchError, type Tensor } from '../../lib/index.js';

type ErrorClass = typeof TypeError | typeof RangeError | typeof TorchError;

const m = () => torch.tensor([[1, 2, 3], [4, 5, 6]]);
const disposed = (): Tensor => {
  const x = torch.tensor([1, 2]);
  x.dispose();
  return x;
};
const i64 = (v: number[]) => torch.tensor(v, { dtype: 'int64' });
const untyped = (v: unknown) => v as never;

const cases: [string, () => unknown, ErrorClass, RegExp, string?][] = [
  ['add: shapes that do not broadcast', () => m().add(torch.ones([4])), TorchError, /size of tensor a \(3\) must match the size of tensor b \(4\)/, 'TORCH_ERROR'],
  ['matmul: inner sizes differ', () => m().matmul(m()), TorchError, /cannot be multiplied/, 'TORCH_ERROR'],
  ['view: element count differs', () => m().view(4), TorchError, /shape '\[4\]' is invalid for input of size 6/],
  ['cat: shapes differ off the cat dim', () => torch.cat([m(), torch.ones([2, 2])], 0), TorchError, /Sizes of tensors must match/],
  ['bmm: needs 3-D tensors', () => m().bmm(m()), TorchError, /batch1 must be a 3D tensor/],
  ['embedding: indices must be integral', () => torch.functional.embedding(torch.tensor([0.5]), m()), TorchError, /Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int/],
  ['crossEntropy: float targets of the wrong shape', () => torch.functional.crossEntropy(m(), torch.tensor([1.0])), TorchError, /.+/],
  ['gather: float index', () => m().gather(1, torch.tensor([[0.0]])), TorchError, /gather\(\): Expected dtype int(32\/int)?64 for index/],
  ['index: out of bounds', () => m().indexSelect(0, i64([5])), RangeError, /index out of range/, 'TORCH_INDEX_ERROR'],
  ['requiresGrad on an int tensor', () => torch.tensor([1], { dtype: 'int64', requiresGrad: true }), TorchError, /floating point/],
  ['backward of a tensor without grad', () => torch.tensor([1]).sum().backward(), TorchError, /does not require grad/],
  ['backward of a non-scalar without gradient', () => torch.tensor([1, 2], { requiresGrad: true }).mul(2).backward(), TorchError, /gradient must be given/],
  ['item of a many-element tensor', () => m().item(), RangeError, /one element/],
  ['dim out of range in sum', () => m().sum(5), RangeError, /Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)/, 'TORCH_INDEX_ERROR'],
  ['dim out of range in softmax', () => m().softmax(-3), RangeError, /Dimension out of range/],
  ['dim out of range in transpose', () => m().transpose(0, 2), RangeError, /Dimension out of range/],
  ['select index out of range', () => m().select(0, 9), RangeError, /index 9 out of range/],
  ['size(dim) out of range', () => m().size(3), RangeError, /dim 3 is out of range/],
  ['negative shape', () => torch.zeros([-1]), RangeError, /shape\[0\] must not be negative/],
  ['shape not an array', () => torch.zeros(untyped('3')), TypeError, /shape must be an array of integers/],
  ['fractional shape', () => torch.ones([1.5]), TypeError, /shape\[0\] must be an integer/],
  ['bad device string', () => torch.zeros([1], { device: 'gpu' }), TypeError, /device must be 'cpu', 'cuda' or 'cuda:N'; got "gpu"/],
  [
    'a CUDA device where there is none (or one past the last)',
    () => torch.zeros([2], { device: torch.cuda.isAvailable() ? `cuda:${torch.cuda.deviceCount()}` : 'cuda' }),
    torch.cuda.isAvailable() ? RangeError : TorchError,
    torch.cuda.isAvailable() ? /but there (is|are) \d+ CUDA device/ : /device is 'cuda', but CUDA is not available here/,
  ],
  ['an unknown device kind', () => torch.ones([1]).to('mps'), TypeError, /"mps" is neither a dtype .* nor a device/],
  ['bad device in to()', () => m().to({ device: 'tpu:0' }), TypeError, /device must be/],
  ['unknown dtype', () => torch.zeros([1], { dtype: untyped('float8') }), TypeError, /dtype must be one of float32/],
  ['unknown dtype in to()', () => m().to(untyped('complex32')), TypeError, /"complex32" is neither a dtype \(float32, float64.*\) nor a device/],
  ['options not an object', () => torch.ones([1], untyped(5)), TypeError, /options must be an object/],
  ['requiresGrad not a boolean', () => torch.ones([1], untyped({ requiresGrad: 'yes' })), TypeError, /requiresGrad must be a boolean/],
  ['disposed tensor as self', () => disposed().add(1), TorchError, /was disposed/, 'DISPOSED'],
  ['disposed tensor as argument', () => m().add(disposed()), TorchError, /argument 'other' was disposed/, 'DISPOSED'],
  ['disposed tensor read back', () => disposed().toArray(), TorchError, /disposed/, 'DISPOSED'],
  ['disposed tensor shape', () => disposed().shape, TorchError, /disposed/, 'DISPOSED'],
  ['string where a tensor goes', () => m().add(untyped('1')), TypeError, /other must be a Tensor or a number, got string/],
  ['null where a tensor goes', () => m().matmul(untyped(null)), TypeError, /other must be a Tensor, got null/],
  ['plain object where a tensor goes', () => m().gather(1, untyped({ handle: 1 })), TypeError, /index must be a Tensor/],
  ['array where a tensor goes', () => torch.cat(untyped([[1, 2]])), TypeError, /tensors\[0\] must be a Tensor, got an array/],
  ['fractional dim', () => m().sum(0.5), TypeError, /argument 'dim' must be an integer/],
  ['string dim', () => m().unsqueeze(untyped('0')), TypeError, /argument 'dim' must be an integer, got string/],
  ['huge integer argument', () => m().narrow(0, 0, 2 ** 60), RangeError, /beyond the safe integer range/],
  ['non-array data', () => torch.tensor(untyped('abc')), TypeError, /element data is string; expected numbers, booleans or bigints/],
  ['ragged data', () => torch.tensor([[1, 2], [3]]), TypeError, /ragged data: \[1\] has length 1, expected 2/],
  ['mixed data', () => torch.tensor(untyped([1, true])), TypeError, /mix of kinds/],
  ['object inside data', () => torch.tensor(untyped([[1, {}]])), TypeError, /element \[0\]\[1\] is object/],
  ['unsupported typed array', () => torch.tensor(untyped(new Uint16Array(2))), TypeError, /Uint16Array is not supported/],
  ['grad of the wrong shape', () => { const x = torch.ones([2], { requiresGrad: true }); x.grad = torch.ones([3]); }, RangeError, /does not match/],
  ['grad that is not a tensor', () => { const x = torch.ones([2]); x.grad = untyped([1, 2]); }, TypeError, /grad must be a Tensor or null/],
  ['tidy with an async function', () => torch.tidy(untyped(async () => 1)), TypeError, /returned a Promise/],
  ['tidy without a function', () => torch.tidy(untyped(3)), TypeError, /fn must be a function/],
  ['manualSeed negative', () => torch.manualSeed(-1), RangeError, /non-negative integer/],
  ['setNumThreads zero', () => torch.setNumThreads(0), RangeError, /threads must be an integer from 1 to \d+ .*got 0/],
  // 1e5 threads crashed libgomp (SIGSEGV in the next matmul), 1e9 ran it out of memory, 2**32 + 1 set 1.
  ['setNumThreads 1e5', () => torch.setNumThreads(1e5), RangeError, /from 1 to \d+ \(8 per core on this machine of \d+\), got 100000/],
  ['setNumThreads 2**32 + 1', () => torch.setNumThreads(2 ** 32 + 1), RangeError, /got 4294967297/],
  ['setNumThreads a string', () => torch.setNumThreads(untyped('4')), RangeError, /got string/],
  ['arange step zero', () => torch.arange(0, 1, 0), RangeError, /step must not be zero/],
  ['dropout p out of range', () => torch.functional.dropout(m(), -0.1), RangeError, /p must be in \[0, 1\]/],
  ['cuda synchronize without CUDA', () => (torch.cuda.isAvailable() ? (() => { throw new TorchError('CUDA is not available', 'TORCH_NO_CUDA'); })() : torch.cuda.synchronize()), TorchError, /CUDA is not available/, 'TORCH_NO_CUDA'],
  ['out of memory', () => torch.empty([2 ** 40, 2 ** 10]), TorchError, /alloc|memory|overflow/i],
  ['autograd.grad with nothing to differentiate', () => torch.autograd.grad([], []), RangeError, /outputs and inputs must each hold at least one tensor/],
  ['Linear with a negative size', () => new nn.Linear(-1, 2), RangeError, /Linear\(\): inFeatures must be a non-negative integer, got -1/],
  ['polynomial schedule without its options', () => optim.schedules.polynomialWithWarmup(0, 0, undefined as never), TypeError, /options \{ lrInit, lrEnd\?, power\? \} are required/],
];

t.ok(cases.length >= 30, `${cases.length} bad calls`);

for (const [name, call, ErrorType, message, code] of cases) {
  t.test(name, async (t) => {
    let caught: unknown;
    try {
      call();
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof ErrorType, `throws ${ErrorType.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
    t.match((caught as Error | undefined)?.message ?? '', message);
    if (code) t.equal((caught as { code?: string }).code, code);
    t.notMatch((caught as Error | undefined)?.message ?? '', /frame #\d|Exception raised from/, 'no C++ backtrace in the message');
    t.same(torch.tensor([1, 2]).add(1).toArray(), [2, 3], 'the process still computes');
  });
}

t.test('an async function refused by tidy, noGrad or autocast cannot crash the process when it rejects later', async (t) => {
  // Node ends a process on an unhandled rejection, so this runs in a child of its own.
  const { spawnSync } = await import('node:child_process');
  const lib = new URL('../../lib/index.js', import.meta.url).href;
  const code = `
    const { torch } = await import(${JSON.stringify(lib)});
    const later = async () => { await new Promise((r) => setTimeout(r, 5)); throw new Error('rejected later'); };
    const refused = [];
    for (const run of [() => torch.tidy(later), () => torch.noGrad(later), () => torch.autocast({}, later)]) {
      try { run(); } catch (err) { refused.push(err.constructor.name); }
    }
    await new Promise((r) => setTimeout(r, 50));
    console.log(JSON.stringify({ refused, sum: torch.tensor([1, 2]).sum().item() }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  t.equal(child.status, 0, child.stderr);
  t.same(JSON.parse(child.stdout), { refused: ['TypeError', 'TypeError', 'TypeError'], sum: 3 });
});

t.test('setNumThreads accepts up to maxNumThreads() and the matmul after it works', async (t) => {
  const before = torch.getNumThreads();
  const max = torch.maxNumThreads();
  t.ok(max >= 64 && max <= 1024, `max ${max}`);
  torch.setNumThreads(max);
  t.equal(torch.getNumThreads(), max);
  t.same(torch.ones([64, 64]).matmul(torch.ones([64, 2])).sum().item(), 64 * 64 * 2);
  torch.setNumThreads(before);
  t.equal(torch.getNumThreads(), before);
});

t.test('new Tensor(handle) cannot alias a tensor or take a handle from elsewhere', async (t) => {
  const a = torch.tensor([1, 2]);
  t.throws(() => new torch.Tensor(a.handle), { name: 'TypeError', message: /that handle belongs to a Tensor already/ });
  // A handle from another worker is just a number here: it names no tensor of this thread,
  // or (worse, before) one that happens to have the same slot.
  const { Worker } = await import('node:worker_threads');
  const lib = new URL('../../lib/index.js', import.meta.url).href;
  const foreign = await new Promise<number>((resolve, reject) => {
    const w = new Worker(`import(${JSON.stringify(lib)}).then(({ torch }) => { const t = torch.ones([2]); require('node:worker_threads').parentPort.postMessage(t.handle); })`, { eval: true });
    w.once('message', (h: number) => { resolve(h); void w.terminate(); });
    w.once('error', reject);
  });
  const here = [torch.zeros([3]), torch.zeros([4])];
  t.throws(() => new torch.Tensor(foreign), { name: 'TypeError', message: /belongs to a Tensor already|not a live tensor handle of this thread/ });
  for (const bad of ['bfloat16', -1, 1.5, null]) t.throws(() => new torch.Tensor(untyped(bad)), /not a live tensor handle of this thread/, String(bad));
  // A refused handle leaves nothing behind for the GC backstop to trip on later.
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 20));
  t.same(a.add(here[0]!.sum()).toArray(), [1, 2]);
});
