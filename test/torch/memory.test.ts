import t from 'tap';

import { torch } from '../../lib/index.js';

t.test('a 1,000-iteration loop under tidy leaves memory() unchanged', async (t) => {
  const w = torch.keep(torch.randn([64, 64], { requiresGrad: true }));
  const x = torch.keep(torch.randn([8, 64]));
  const before = torch.memory();
  for (let i = 0; i < 1000; i++) {
    torch.tidy(() => {
      const y = x.matmul(w).relu().softmax(-1);
      const loss = y.mul(y).mean();
      loss.backward();
      const g = w.grad!;
      torch.noGrad(() => w.sub_(g.mul(0.01)));
      w.grad = null;
    });
  }
  t.same(torch.memory(), before);
});

t.test('tidy keeps what it returns, nested scopes hand results outwards', async (t) => {
  const before = torch.memory().tensors;
  const kept = torch.tidy(() => {
    const inner = torch.tidy(() => {
      torch.ones([3]).add(1);
      return { a: torch.ones([2]), list: [torch.zeros([1])] };
    });
    t.equal(torch.memory().tensors, before + 2, 'the inner scope freed its temporary');
    return inner.a.mul(2);
  });
  t.same(kept.toArray(), [2, 2]);
  t.equal(torch.memory().tensors, before + 1, 'only the returned tensor survives');
  kept.dispose();
  t.equal(torch.memory().tensors, before);
});

t.test('tidy frees its tensors when fn throws', async (t) => {
  const before = torch.memory().tensors;
  t.throws(() => torch.tidy(() => {
    torch.ones([100]);
    throw new Error('inside');
  }), /inside/);
  t.equal(torch.memory().tensors, before);
});

t.test('keep exempts a tensor; dispose frees at once and is idempotent; using disposes', async (t) => {
  const before = torch.memory();
  let k: ReturnType<typeof torch.ones> | undefined;
  torch.tidy(() => {
    k = torch.keep(torch.ones([10]));
  });
  t.equal(k!.numel(), 10, 'kept tensor survives the scope');
  k!.dispose();
  k!.dispose();
  t.ok(k!.isDisposed);
  t.same(torch.memory(), before);
  {
    using scoped = torch.zeros([1000]);
    t.equal(torch.memory().bytes, before.bytes + 4000);
    t.equal(scoped.numel(), 1000);
  }
  t.same(torch.memory(), before, 'using freed it');
});

t.test('memory() counts views once', async (t) => {
  const before = torch.memory();
  const base = torch.zeros([256]);
  const view = base.view(16, 16);
  t.equal(torch.memory().tensors, before.tensors + 2);
  t.equal(torch.memory().bytes, before.bytes + 1024, 'one storage of 1024 bytes');
  view.dispose();
  base.dispose();
});

t.test('handles of disposed tensors stay invalid after their slot is reused', async (t) => {
  const a = torch.ones([1]);
  a.dispose();
  const b = torch.zeros([1]);
  t.throws(() => a.toArray(), { code: 'DISPOSED' });
  t.same(b.toArray(), [0]);
});

t.test('tensors no longer referenced are freed by the GC backstop', { skip: typeof globalThis.gc !== 'function' && 'run node with --expose-gc' }, async (t) => {
  const collect = async () => {
    for (let i = 0; i < 5; i++) {
      globalThis.gc!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await collect();
  const before = torch.memory().tensors;
  (() => {
    for (let i = 0; i < 100; i++) torch.ones([1000]);
  })();
  t.equal(torch.memory().tensors, before + 100);
  await collect();
  t.equal(torch.memory().tensors, before, 'all 100 freed without dispose()');
});
