import t from 'tap';

import { nn, optim, torch, type Tensor } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';

class Block extends nn.Module {
  readonly dense = new nn.Linear(4, 3);
  readonly norm: nn.LayerNorm;
  constructor() {
    super();
    this.norm = this.registerModule('LayerNorm', new nn.LayerNorm(3, { eps: 1e-12 }));
    this.registerBuffer('position_ids', torch.arange(5).view(1, -1), { persistent: false });
    this.registerBuffer('scale', torch.ones([1]));
  }
  forward(x: Tensor): Tensor {
    return this.norm.forward(this.dense.forward(x));
  }
}

class Net extends nn.Module {
  readonly embed = new nn.Embedding(10, 4, { paddingIdx: 0 });
  readonly layer = new nn.ModuleList([new Block(), new Block()]);
  readonly head: nn.Linear;
  constructor() {
    super();
    this.head = new nn.Linear(3, 10, { bias: false });
  }
}

t.test('names are dotted as PyTorch forms them', async (t) => {
  const net = new Net();
  t.same(Object.keys(net.stateDict()), [
    'embed.weight',
    'layer.0.scale',
    'layer.0.dense.weight',
    'layer.0.dense.bias',
    'layer.0.LayerNorm.weight',
    'layer.0.LayerNorm.bias',
    'layer.1.scale',
    'layer.1.dense.weight',
    'layer.1.dense.bias',
    'layer.1.LayerNorm.weight',
    'layer.1.LayerNorm.bias',
    'head.weight',
  ]);
  t.same(net.namedBuffers().map(([n]) => n), ['layer.0.position_ids', 'layer.0.scale', 'layer.1.position_ids', 'layer.1.scale']);
  t.same(net.namedChildren().map(([n]) => n), ['embed', 'layer', 'head']);
  t.same(net.namedModules().map(([n]) => n), ['', 'embed', 'layer', 'layer.0', 'layer.0.dense', 'layer.0.LayerNorm', 'layer.1', 'layer.1.dense', 'layer.1.LayerNorm', 'head']);
  t.same(new Block().namedChildren().map(([n]) => n), ['dense', 'LayerNorm'], 'fields and registrations in the order they were made');
  t.equal(net.parameters().length, 10);
  t.equal(net.numParameters(), 40 + 2 * (12 + 3 + 3 + 3) + 30);
});

t.test('tied parameters: once in parameters(), under both names in stateDict()', async (t) => {
  class Tied extends nn.Module {
    readonly embed = new nn.Embedding(5, 3);
    readonly decoder = new nn.Linear(3, 5, { bias: false });
    constructor() {
      super();
      this.decoder.registerParameter('weight', this.embed.weight);
    }
  }
  const m = new Tied();
  t.equal(m.parameters().length, 1);
  t.same(Object.keys(m.stateDict()), ['embed.weight', 'decoder.weight']);
  t.equal(m.decoder.weight, m.embed.weight, 'the same Parameter');
  class Reassigned extends nn.Module {
    first = new nn.Linear(2, 2);
    constructor() {
      super();
      this.stateDict();
      this.first = new nn.Linear(2, 3);
    }
  }
  t.same(new Reassigned().stateDict()['first.weight']!.shape, [3, 2], 'a field assigned anew is followed');
});

t.test('stateDict round trip and strict loading that names the keys', async (t) => {
  torch.manualSeed(1);
  const a = new Net();
  const b = new Net();
  b.loadStateDict(a.stateDict());
  for (const [k, v] of Object.entries(a.stateDict())) t.same(b.stateDict()[k]!.toArray(), v.toArray(), k);
  const partial = { ...a.stateDict() };
  delete partial['head.weight'];
  partial['extra.weight'] = torch.zeros([1]);
  t.throws(() => b.loadStateDict(partial), /Missing key\(s\) in state_dict: "head.weight"[\s\S]*Unexpected key\(s\) in state_dict: "extra.weight"/);
  const result = b.loadStateDict(partial, { strict: false });
  t.same(result, { missingKeys: ['head.weight'], unexpectedKeys: ['extra.weight'] });
  const old = { ...a.stateDict(), 'layer.0.position_ids': torch.arange(5).view(1, -1) };
  t.same(b.loadStateDict(old, { ignoreUnexpected: [/position_ids$/] }), { missingKeys: [], unexpectedKeys: [] }, 'an old buffer is ignored');
  const wrong = { ...a.stateDict(), 'embed.weight': torch.zeros([11, 4]) };
  t.throws(() => b.loadStateDict(wrong, { strict: false }), /size mismatch for embed.weight: copying a param with shape \[11, 4\] from checkpoint, the shape in current model is \[10, 4\]/);
});

t.test('to(dtype) keeps each parameter, so an optimizer made before keeps working', async (t) => {
  const block = new Block();
  const params = block.parameters();
  const opt = new optim.SGD(block.parameters(), { lr: 0.1 });
  block.to('float64');
  t.same(block.parameters(), params, 'same Parameter objects');
  t.ok(block.parameters().every((p) => p.dtype === 'float64'));
  t.equal(block.stateDict().scale!.dtype, 'float64', 'floating buffers cast');
  const x = torch.randn([2, 4], { dtype: 'float64' });
  const before = block.dense.weight.clone();
  block.forward(x).sum().backward();
  opt.step();
  t.ok(maxAbsDiff(before.toArray(), block.dense.weight.toArray()) > 0, 'the optimizer updated the moved weights');
  t.equal(block.dense.weight.requiresGrad, true);
  t.throws(() => block.to('int64'), /only casts to floating point/);
});

t.test('train/eval, apply, zeroGrad, requiresGrad_ and parameter counts', async (t) => {
  const net = new Net();
  net.eval();
  t.ok(net.modules().every((m) => !m.training));
  net.train();
  t.ok(net.modules().every((m) => m.training));
  const visited: string[] = [];
  net.layer.apply((m) => visited.push(m.constructor.name));
  t.same(visited, ['Linear', 'LayerNorm', 'Block', 'Linear', 'LayerNorm', 'Block', 'ModuleList']);
  net.head.forward(torch.randn([2, 3])).sum().backward();
  t.ok(net.head.weight.grad);
  net.zeroGrad();
  t.equal(net.head.weight.grad, null);
  net.embed.requiresGrad_(false);
  t.equal(net.numParameters({ trainableOnly: true }), net.numParameters() - 40);
  const groups = optim.weightDecayGroups(net, 0.01);
  t.equal([...groups[0]!.params].length, 4, 'decay: embedding, two dense weights, head');
  t.equal([...groups[1]!.params].length, 6, 'no decay: dense biases and LayerNorm weights and biases');
  t.throws(() => net.registerBuffer('a.b', torch.ones([1])), /without '.'/);
});

t.test('layers compute what their functional forms compute', async (t) => {
  torch.manualSeed(3);
  const lin = new nn.Linear(3, 2);
  const x = torch.randn([4, 3]);
  t.ok(maxAbsDiff(lin.forward(x).toArray(), x.matmul(lin.weight.t()).add(lin.bias!).toArray()) < 1e-6);
  const emb = new nn.Embedding(6, 2, { paddingIdx: 0 });
  t.same(emb.weight.select(0, 0).toArray(), [0, 0], 'padding row zeroed');
  t.same(emb.forward(torch.tensor([3], { dtype: 'int64' })).toArray(), [emb.weight.select(0, 3).toArray()]);
  const ln = new nn.LayerNorm(3, { eps: 1e-12 });
  const y = ln.forward(x);
  t.ok(maxAbsDiff(y.mean(-1).toArray(), [0, 0, 0, 0]) < 1e-6);
  const drop = new nn.Dropout(0.5);
  drop.eval();
  t.same(drop.forward(x).toArray(), x.toArray(), 'dropout is identity in eval');
  const seq = new nn.Sequential(new nn.Linear(3, 3), new nn.GELU(), new nn.Tanh(), new nn.ReLU());
  t.ok((seq.forward(x).min().item() as number) >= 0);
  t.same(Object.keys(seq.stateDict()), ['0.weight', '0.bias']);
  t.throws(() => new nn.Embedding(3, 2, { paddingIdx: 5 }), RangeError);
  t.throws(() => new nn.Dropout(2), RangeError);
});

t.test('init: bounds and moments of each initialiser', async (t) => {
  torch.manualSeed(0);
  const w = torch.empty([200, 300]);
  nn.init.kaimingUniform_(w, { a: Math.sqrt(5) });
  t.ok((w.abs().max().item() as number) <= 1 / Math.sqrt(300), 'kaiming uniform (a=√5) bound is 1/√fan_in');
  nn.init.xavierUniform_(w);
  t.ok((w.abs().max().item() as number) <= Math.sqrt(6 / 500));
  nn.init.xavierNormal_(w);
  t.ok(Math.abs((w.std().item() as number) - Math.sqrt(2 / 500)) < 0.002);
  nn.init.kaimingNormal_(w, { nonlinearity: 'relu' });
  t.ok(Math.abs((w.std().item() as number) - Math.sqrt(2 / 300)) < 0.002);
  nn.init.truncNormal_(w, 0, 0.02, -0.04, 0.04);
  t.ok((w.abs().max().item() as number) <= 0.04, 'truncated to [a, b]');
  // std of a normal truncated at ±2σ is σ·0.8796
  t.ok(Math.abs((w.std().item() as number) - 0.02 * 0.8796) < 0.0003, `truncated std ${w.std().item()}`);
  nn.init.normal_(w, 0, 0.02);
  t.ok(Math.abs((w.std().item() as number) - 0.02) < 0.0005);
  nn.init.zeros_(w);
  t.equal(w.abs().sum().item(), 0);
  nn.init.ones_(w);
  t.equal(w.sum().item(), 60000);
  nn.init.constant_(w, 2);
  t.equal(w.mean().item(), 2);
  t.equal(nn.init.calculateGain('tanh'), 5 / 3);
  t.throws(() => nn.init.xavierUniform_(torch.empty([3])), /at least 2 dimensions/);
});

t.test('a Linear with zero input features is valid, as in PyTorch (nothing to initialise, output = bias)', async (t) => {
  const layer = new nn.Linear(0, 2);
  t.same(layer.weight.shape, [2, 0]);
  t.same(layer.bias!.toArray(), [0, 0], 'bias bound 0 when fan-in is 0');
  t.same(layer.forward(torch.zeros([3, 0])).toArray(), [[0, 0], [0, 0], [0, 0]]);
});
