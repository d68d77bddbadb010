// AdamW, SGD and LAMB against PyTorch over 100 steps on the same parameters and gradients.
// Each step's gradient is g = 0.1·p + w, computed with the same libtorch ops on both sides.
import t from 'tap';

import { optim, torch, type Tensor } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('torch');
const STEPS = 100;

type Nested = number[] | number[][];

function initial(dtype: 'float32' | 'float64'): { params: Tensor[]; w: Tensor[] } {
  torch.manualSeed(42);
  const params = [torch.randn([3, 4], { dtype }), torch.randn([4], { dtype }), torch.randn([2, 2], { dtype })];
  const w = params.map((p) => torch.randnLike(p));
  return { params, w };
}

const PY_RUN = `
import torch, math
def run(inp):
  dtype = getattr(torch, inp['dtype'])
  params = [torch.tensor(v, dtype=dtype, requires_grad=True) for v in inp['params']]
  ws = [torch.tensor(v, dtype=dtype) for v in inp['w']]
  name, opts = inp['optimizer'], inp['options']

  def lamb_step(state, params, lr, betas, eps, wd, max_grad_norm, bias_correction, use_nvlamb):
      # NVIDIA apex FusedLAMB (multi_tensor_lamb), written out in float64 Python/torch ops
      grads = [p.grad for p in params]
      norms = [torch.linalg.vector_norm(g, 2) for g in grads]
      gnorm = torch.linalg.vector_norm(torch.stack(norms), 2).item()
      scale = gnorm / max_grad_norm if (max_grad_norm > 0 and gnorm > max_grad_norm) else 1.0
      with torch.no_grad():
          for p in params:
              s = state.setdefault(p, {'step': 0, 'm': torch.zeros_like(p), 'v': torch.zeros_like(p)})
              s['step'] += 1
              g = p.grad / scale
              s['m'].mul_(betas[0]).add_(g, alpha=1 - betas[0])
              s['v'].mul_(betas[1]).addcmul_(g, g, value=1 - betas[1])
              c1 = 1 - betas[0] ** s['step'] if bias_correction else 1.0
              c2 = 1 - betas[1] ** s['step'] if bias_correction else 1.0
              update = (s['m'] / c1) / ((s['v'] / c2).sqrt().add_(eps))
              if wd != 0: update.add_(p, alpha=wd)
              ratio = 1.0
              if use_nvlamb or wd != 0:
                  pn, un = p.norm().item(), update.norm().item()
                  if pn > 0 and un > 0: ratio = pn / un
              p.add_(update, alpha=-lr * ratio)

  state = {}
  if name == 'AdamW':
      opt = torch.optim.AdamW(params, lr=opts['lr'], betas=tuple(opts['betas']), eps=opts['eps'], weight_decay=opts['weightDecay'], amsgrad=opts['amsgrad'], maximize=opts['maximize'])
  elif name == 'SGD':
      opt = torch.optim.SGD(params, lr=opts['lr'], momentum=opts['momentum'], dampening=opts['dampening'], weight_decay=opts['weightDecay'], nesterov=opts['nesterov'], maximize=opts['maximize'])
  for step in range(inp['steps']):
      for p, w in zip(params, ws):
          p.grad = p.detach().mul(0.1).add(w)
      if name == 'LAMB':
          lamb_step(state, params, opts['lr'], opts['betas'], opts['eps'], opts['weightDecay'], opts['maxGradNorm'], opts['biasCorrection'], opts['useNvLamb'])
      else:
          opt.step()
  return [p.detach().tolist() for p in params]
out([run(case) for case in inp])
`;

function runOurs(name: 'AdamW' | 'SGD' | 'LAMB', options: Record<string, unknown>, dtype: 'float32' | 'float64'): { ours: Nested[]; input: unknown } {
  const { params, w } = initial(dtype);
  const input = { dtype, params: params.map((p) => p.toArray()), w: w.map((x) => x.toArray()), optimizer: name, options, steps: STEPS };
  const parameters = params.map((p) => p.requiresGrad_());
  const Optim = optim[name] as unknown as new (p: Tensor[], o: Record<string, unknown>) => optim.Optimizer<{ lr: number }>;
  const optimizer = new Optim(parameters, options);
  for (let s = 0; s < STEPS; s++) {
    torch.tidy(() => {
      parameters.forEach((p, i) => {
        p.grad = torch.noGrad(() => p.detach().mul(0.1).add(w[i]!));
      });
      optimizer.step();
    });
  }
  return { ours: parameters.map((p) => p.toArray() as Nested), input };
}

const adamw = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false };
const sgd = { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0.001, nesterov: false, maximize: false };
const lamb = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0.01, maxGradNorm: 1.0, biasCorrection: true, useNvLamb: false };

const cases: [string, 'AdamW' | 'SGD' | 'LAMB', Record<string, unknown>][] = [
  ['AdamW', 'AdamW', adamw],
  ['AdamW amsgrad, no decay', 'AdamW', { ...adamw, amsgrad: true, weightDecay: 0 }],
  ['AdamW maximize', 'AdamW', { ...adamw, maximize: true, lr: 0.001 }],
  ['SGD momentum', 'SGD', sgd],
  ['SGD nesterov', 'SGD', { ...sgd, nesterov: true }],
  ['SGD dampening', 'SGD', { ...sgd, dampening: 0.5 }],
  ['SGD plain', 'SGD', { ...sgd, momentum: 0, weightDecay: 0 }],
  ['LAMB', 'LAMB', lamb],
  ['LAMB without decay (no trust ratio)', 'LAMB', { ...lamb, weightDecay: 0 }],
  ['LAMB nvlamb, no clipping', 'LAMB', { ...lamb, weightDecay: 0, useNvLamb: true, maxGradNorm: 0 }],
];

t.test(`optimizers match PyTorch over ${STEPS} steps`, { skip }, async (t) => {
  const runs = cases.flatMap(([label, name, options]) =>
    (['float64', 'float32'] as const).map((dtype) => ({ label, dtype, ...runOurs(name, options, dtype) })),
  );
  // One Python process computes every reference run.
  const theirs = runPython<Nested[][]>(PY_RUN, runs.map((r) => r.input));
  runs.forEach((r, i) => {
    const error = maxAbsDiff(r.ours, theirs[i]!);
    const tolerance = r.dtype === 'float64' ? 1e-10 : 1e-6;
    t.ok(error <= tolerance, `${r.label}, ${r.dtype}: max difference ${error.toExponential(2)}`);
  });
});

t.test('stateDict / loadStateDict resume exactly', async (t) => {
  const run = (interruptAt: number | null): number[][] => {
    torch.manualSeed(5);
    const p = torch.randn([3, 3], { dtype: 'float64' }).requiresGrad_();
    const w = torch.randn([3, 3], { dtype: 'float64' });
    let optimizer = new optim.AdamW([p], { lr: 0.05 });
    for (let s = 0; s < 20; s++) {
      if (s === interruptAt) {
        const saved = optimizer.stateDict();
        optimizer = new optim.AdamW([p], { lr: 999 });
        optimizer.loadStateDict(saved);
      }
      p.grad = torch.noGrad(() => p.detach().mul(0.1).add(w));
      optimizer.step();
    }
    return p.toArray() as number[][];
  };
  t.same(run(10), run(null), 'identical to the uninterrupted run');
});

t.test('zeroGrad, groups with their own hyperparameters, validation', async (t) => {
  const a = torch.ones([2], { requiresGrad: true, dtype: 'float64' });
  const b = torch.ones([2], { requiresGrad: true, dtype: 'float64' });
  const sgdOpt = new optim.SGD([{ params: [a] }, { params: [b], options: { lr: 0.5 } }], { lr: 0.1 });
  a.grad = torch.ones([2], { dtype: 'float64' });
  b.grad = torch.ones([2], { dtype: 'float64' });
  sgdOpt.step();
  t.same(a.toArray(), [0.9, 0.9]);
  t.same(b.toArray(), [0.5, 0.5]);
  sgdOpt.zeroGrad(false);
  t.same(a.grad!.toArray(), [0, 0], 'zeroed in place');
  sgdOpt.zeroGrad();
  t.equal(a.grad, null, 'set to none');
  sgdOpt.step();
  t.same(a.toArray(), [0.9, 0.9], 'parameters without grad are skipped');
  t.throws(() => new optim.AdamW([a], { lr: -1 }), /invalid learning rate: -1/);
  t.throws(() => new optim.AdamW([a], { betas: [1.5, 0.9] }), /invalid beta parameter at index 0/);
  t.throws(() => new optim.SGD([a], { nesterov: true }), /Nesterov momentum requires a momentum/);
  t.throws(() => new optim.AdamW([]), /empty parameter list/);
  t.throws(() => new optim.AdamW([torch.ones([1], { dtype: 'int64' })]), /only floating-point tensors/);
  t.throws(() => new optim.SGD([{ params: [a] }, { params: [a] }]), /more than one group/);
  t.throws(() => new optim.AdamW([a.mul(2)]), /params\[0\] is not a leaf tensor/);
  t.throws(() => new optim.AdamW([{ params: [a], learningRate: 1 } as never]), /unknown option 'learningRate' \(the options are lr,/);

  // PyTorch's way of writing a group's settings: { params, lr } beside { params, options }.
  const c = torch.ones([2], { requiresGrad: true, dtype: 'float64' });
  const inline = new optim.SGD([{ params: [c], lr: 0.25 }], { lr: 0.1 });
  c.grad = torch.ones([2], { dtype: 'float64' });
  inline.step();
  t.same(c.toArray(), [0.75, 0.75], 'an inline lr applies');
  const named = new optim.AdamW([{ params: [torch.ones([1], { requiresGrad: true })], name: 'decay', weightDecay: 0.1 } as never]);
  t.equal((named.paramGroups[0] as { name?: string }).name, 'decay', 'a group may carry a name, as in PyTorch');
});

t.test('loadStateDict checks everything before it changes anything', async (t) => {
  const p = torch.ones([3], { requiresGrad: true, dtype: 'float64' });
  const opt = new optim.AdamW([p], { lr: 0.1 });
  p.grad = torch.ones([3], { dtype: 'float64' });
  opt.step();
  const moments = () => (opt.state.get(p)!.expAvg as torch.Tensor).toArray();
  const before = moments();
  opt.loadStateDict(opt.stateDict());
  t.same(moments(), before, 'loading its own state dict keeps the moments');
  t.equal(opt.state.get(p)!.step, 1);

  const saved = opt.stateDict();
  const broken: [string, unknown, RegExp][] = [
    ['null', null, /expected \{ state, paramGroups \}/],
    ['an empty object', {}, /expected \{ state, paramGroups \}/],
    ['a negative lr', { ...saved, paramGroups: [{ ...saved.paramGroups[0]!, lr: -5 }] }, /invalid learning rate: -5/],
    ['a parameter index no group holds', { ...saved, state: { 7: saved.state[0] } }, /refers to parameter 7, which no group holds/],
    ['moments of the wrong shape', { ...saved, state: { 0: { ...saved.state[0], expAvg: torch.zeros([4], { dtype: 'float64' }) } } }, /state 'expAvg' of parameter 0 has shape \[4\], the parameter \[3\]/],
    ['a step that is not a number', { ...saved, state: { 0: { ...saved.state[0], step: 'x' } } }, /state 'step' of parameter 0 must be a tensor or a finite number, got "x"/],
  ];
  for (const [what, value, message] of broken) {
    t.throws(() => opt.loadStateDict(value as typeof saved), message, what);
    t.same(moments(), before, `${what}: the state is unchanged`);
    t.equal(opt.paramGroups[0]!.lr, 0.1, `${what}: the hyperparameters are unchanged`);
  }
});

t.test('clipGradNorm_ matches torch.nn.utils.clip_grad_norm_', { skip }, async (t) => {
  torch.manualSeed(9);
  const ps = [torch.randn([5, 3], { dtype: 'float64', requiresGrad: true }), torch.randn([7], { dtype: 'float64', requiresGrad: true })];
  const gs = ps.map((p) => torch.randnLike(p).mul(3));
  ps.forEach((p, i) => (p.grad = gs[i]!));
  for (const [maxNorm, normType] of [[1, 2], [100, 2], [0.5, 1], [0.5, Infinity]] as const) {
    ps.forEach((p, i) => (p.grad = gs[i]!.clone()));
    const total = optim.clipGradNorm_(ps, maxNorm, { normType });
    const theirs = runPython<{ total: number; grads: number[][] }>(
      `import torch\ngs=[torch.tensor(g, dtype=torch.float64) for g in inp['g']]\nps=[torch.zeros_like(g, requires_grad=True) for g in gs]\nfor p,g in zip(ps,gs): p.grad=g\nt=torch.nn.utils.clip_grad_norm_(ps, inp['max'], norm_type=float(inp['type']))\nout({'total': t.item(), 'grads': [p.grad.flatten().tolist() for p in ps]})`,
      { g: gs.map((g) => g.toArray()), max: maxNorm, type: normType === Infinity ? 'inf' : normType },
    );
    t.ok(Math.abs(total - theirs.total) < 1e-12, `total norm (max ${maxNorm}, p ${normType})`);
    t.ok(maxAbsDiff(ps.map((p) => p.grad!.flatten().toArray() as number[]), theirs.grads) < 1e-12, 'clipped gradients');
  }
  t.throws(() => optim.clipGradNorm_(ps, -1), RangeError);
});

t.test('clipGradNorm_ with a NaN gradient makes every gradient NaN, as PyTorch does', async (t) => {
  // PyTorch: clip_coef = max_norm / (nan + 1e-6) = nan, clamped to at most 1 (still nan),
  // multiplied into every gradient. A diverged step then shows in all of them.
  const ps = [torch.zeros([2], { requiresGrad: true }), torch.zeros([2], { requiresGrad: true })];
  ps[0]!.grad = torch.tensor([1, NaN]);
  ps[1]!.grad = torch.tensor([3, 4]);
  t.ok(Number.isNaN(optim.clipGradNorm_(ps, 1)));
  t.ok((ps[1]!.grad.toArray() as number[]).every(Number.isNaN), 'the finite gradient is NaN too');
  ps[0]!.grad = torch.tensor([1, 0]);
  ps[1]!.grad = torch.tensor([0, 0]);
  t.equal(optim.clipGradNorm_(ps, 5), 1);
  t.same(ps[0]!.grad.toArray(), [1, 0], 'a norm under the limit leaves gradients alone');
});
