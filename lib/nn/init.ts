// nn.init: in-place initialisers, as torch.nn.init computes them (no gradient recorded).
import { noGrad } from '../torch/autograd.js';
import { tensor } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import { handleOf, type Tensor } from '../torch/tensor.js';

/** The first argument of every initialiser: a Tensor, or a TypeError naming the function. */
function expectTensor(t: unknown, fn: string): void {
  handleOf(t, `nn.init.${fn}(): t`);
}

function fans(t: Tensor): { fanIn: number; fanOut: number } {
  const shape = t.shape;
  if (shape.length < 2) throw new RangeError('fan in and fan out need a tensor of at least 2 dimensions');
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

function inPlace(t: Tensor, fn: () => Tensor): Tensor {
  noGrad(() => fn().dispose());
  return t;
}

export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  expectTensor(t, 'uniform_');
  return inPlace(t, () => t.uniform_(a, b));
}

export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  expectTensor(t, 'normal_');
  return inPlace(t, () => t.normal_(mean, std));
}

export function constant_(t: Tensor, value: number): Tensor {
  expectTensor(t, 'constant_');
  return inPlace(t, () => t.fill_(value));
}

export function zeros_(t: Tensor): Tensor {
  expectTensor(t, 'zeros_');
  return inPlace(t, () => t.zero_());
}

export function ones_(t: Tensor): Tensor {
  expectTensor(t, 'ones_');
  return inPlace(t, () => t.fill_(1));
}

function erf(x: number): number {
  const t = tensor([x], { dtype: 'float64' });
  const e = t.erf();
  const value = e.item() as number;
  t.dispose();
  e.dispose();
  return value;
}

/** Normal(mean, std) truncated to [a, b], by inverse-CDF sampling as PyTorch does. */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
  expectTensor(t, 'truncNormal_');
  const cdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  const lo = cdf((a - mean) / std);
  const hi = cdf((b - mean) / std);
  noGrad(() => {
    t.uniform_(2 * lo - 1, 2 * hi - 1).dispose();
    t.erfinv_().dispose();
    t.mul_(std * Math.SQRT2).dispose();
    t.add_(mean).dispose();
    t.clamp_(a, b).dispose();
  });
  return t;
}

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu';

/** torch.nn.init.calculate_gain */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    default:
      throw new TypeError(`unsupported nonlinearity ${describeValue(nonlinearity)}`);
  }
}

export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  expectTensor(t, 'xavierUniform_');
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}

export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  expectTensor(t, 'xavierNormal_');
  const { fanIn, fanOut } = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  expectTensor(t, 'kaimingUniform_');
  if (t.numel() === 0) return t; // as PyTorch: nothing to initialise, and no fan to divide by
  const { fanIn, fanOut } = fans(t);
  const fan = options.mode === 'fan_out' ? fanOut : fanIn;
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  const bound = Math.sqrt(3) * (gain / Math.sqrt(fan));
  return uniform_(t, -bound, bound);
}

export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  expectTensor(t, 'kaimingNormal_');
  if (t.numel() === 0) return t;
  const { fanIn, fanOut } = fans(t);
  const fan = options.mode === 'fan_out' ? fanOut : fanIn;
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(fan));
}

/** fan_in of a weight, for bias bounds (torch.nn.init._calculate_fan_in_and_fan_out). */
export function fanIn(t: Tensor): number {
  expectTensor(t, 'fanIn');
  return fans(t).fanIn;
}
