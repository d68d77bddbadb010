// Learning-rate schedules against the values transformers' own schedulers give.
import t from 'tap';

import { optim, torch } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const { schedules } = optim;
const skip = missingPython('torch', 'transformers');
const LR = 3e-4;
const TOTAL = 60;

const ours: Record<string, optim.LrLambda> = {
  constant: schedules.constant(),
  constant_with_warmup: schedules.constantWithWarmup(7),
  linear: schedules.linearWithWarmup(10, TOTAL),
  cosine: schedules.cosineWithWarmup(10, TOTAL),
  cosine_cycles: schedules.cosineWithWarmup(5, TOTAL, { numCycles: 2 }),
  polynomial: schedules.polynomialWithWarmup(10, 50, { lrInit: LR, lrEnd: 1e-6, power: 2 }),
  wsd_cosine: schedules.warmupStableDecay(10, 20, 20, { minLrRatio: 0.1 }),
  wsd_linear_sqrt: schedules.warmupStableDecay(10, 20, 20, { warmupType: '1-sqrt', decayType: 'linear' }),
  wsd_cosine_warmup: schedules.warmupStableDecay(10, 10, 30, { warmupType: 'cosine', decayType: '1-sqrt', minLrRatio: 0.05 }),
};

const PY = `
import torch
from transformers import optimization as o
lr, total = inp['lr'], inp['total']
def run(make):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    s = make(opt)
    lrs = []
    for _ in range(total + 5):
        lrs.append(opt.param_groups[0]['lr'])
        opt.step(); s.step()
    return lrs
out({
  'constant': run(lambda opt: o.get_constant_schedule(opt)),
  'constant_with_warmup': run(lambda opt: o.get_constant_schedule_with_warmup(opt, 7)),
  'linear': run(lambda opt: o.get_linear_schedule_with_warmup(opt, 10, total)),
  'cosine': run(lambda opt: o.get_cosine_schedule_with_warmup(opt, 10, total)),
  'cosine_cycles': run(lambda opt: o.get_cosine_schedule_with_warmup(opt, 5, total, num_cycles=2)),
  'polynomial': run(lambda opt: o.get_polynomial_decay_schedule_with_warmup(opt, 10, 50, lr_end=1e-6, power=2)),
  'wsd_cosine': run(lambda opt: o.get_wsd_schedule(opt, 10, 20, num_stable_steps=20, min_lr_ratio=0.1)),
  'wsd_linear_sqrt': run(lambda opt: o.get_wsd_schedule(opt, 10, 20, num_stable_steps=20, warmup_type='1-sqrt', decay_type='linear')),
  'wsd_cosine_warmup': run(lambda opt: o.get_wsd_schedule(opt, 10, 30, num_stable_steps=10, warmup_type='cosine', decay_type='1-sqrt', min_lr_ratio=0.05)),
})
`;

t.test('schedules give the learning rates transformers gives', { skip }, async (t) => {
  const theirs = runPython<Record<string, number[]>>(PY, { lr: LR, total: TOTAL });
  for (const [name, lambda] of Object.entries(ours)) {
    const p = torch.zeros([1], { requiresGrad: true });
    const optimizer = new optim.SGD([p], { lr: LR });
    const scheduler = new optim.LRScheduler(optimizer, lambda);
    const lrs: number[] = [];
    for (let i = 0; i < TOTAL + 5; i++) {
      lrs.push(scheduler.getLastLr()[0]!);
      scheduler.step();
    }
    const worst = Math.max(...lrs.map((v, i) => Math.abs(v - theirs[name]![i]!)));
    t.ok(worst < 1e-15, `${name}: max difference ${worst.toExponential(2)}`);
  }
});

t.test("NVIDIA's poly warmup and scheduler resume", async (t) => {
  const f = schedules.polyWarmup(100, { warmup: 0.1, degree: 0.5 });
  t.equal(f(0), 0);
  t.equal(f(5), 0.5, 'half way through warmup');
  t.equal(f(10), 1);
  t.ok(Math.abs(f(55) - Math.sqrt(0.5)) < 1e-15, '((p - 1)/(w - 1))^0.5 at p = 0.55');
  t.equal(f(100), 0);
  const p = torch.zeros([1], { requiresGrad: true });
  const a = new optim.LRScheduler(new optim.SGD([p], { lr: 1 }), schedules.linearWithWarmup(2, 10));
  for (let i = 0; i < 4; i++) a.step();
  const saved = a.stateDict();
  const b = new optim.LRScheduler(new optim.SGD([p], { lr: 1 }), schedules.linearWithWarmup(2, 10));
  b.loadStateDict(saved);
  t.same(b.getLastLr(), a.getLastLr());
  a.step();
  b.step();
  t.same(b.getLastLr(), a.getLastLr());
  t.throws(() => schedules.warmupStableDecay(1, 1, 1, { decayType: 'exp' as 'linear' }), /decayType must be/);
  t.throws(() => schedules.polynomialWithWarmup(1, 10, { lrInit: 1e-8, lrEnd: 1e-7 }), /must be smaller/);
});
