// Comparison helpers and a float64 finite-difference gradient check, the independent oracle
// for every differentiable op.
import { torch, type Tensor } from '../../lib/index.js';

type Nested = number | boolean | Nested[];

function flat(value: Nested): number[] {
  if (Array.isArray(value)) return value.flatMap(flat);
  return [Number(value)];
}

/** Max absolute difference between two nested arrays of equal shape; throws on a shape mismatch. */
export function maxAbsDiff(actual: Nested, expected: Nested): number {
  const a = flat(actual);
  const e = flat(expected);
  if (a.length !== e.length) throw new Error(`sizes differ: ${a.length} vs ${e.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - e[i]!);
    if (Number.isNaN(d)) {
      if (!(Number.isNaN(a[i]!) && Number.isNaN(e[i]!))) return Infinity;
    } else worst = Math.max(worst, d);
  }
  return worst;
}

export function shapeOf(value: Nested): number[] {
  const shape: number[] = [];
  let v: Nested = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0]!;
  }
  return shape;
}

/**
 * Checks d(sum(w · fn(inputs)))/d(input) from autograd against central differences in
 * float64, for random weights w. Returns the worst absolute error over all elements.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], eps = 1e-6): number {
  return torch.tidy(() => {
    const leaves = inputs.map((x) => x.detach().double().requiresGrad_());
    const output = fn(...leaves);
    const weights = torch.randnLike(output.detach());
    const objective = (...xs: Tensor[]): number => torch.noGrad(() => fn(...xs).mul(weights).sum().item() as number);
    const analytic = torch.autograd.grad(output.mul(weights).sum(), leaves, { allowUnused: true });
    let worst = 0;
    leaves.forEach((leaf, which) => {
      const base = leaf.detach().clone();
      const values = base.toTypedArray() as Float64Array;
      const numeric = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const at = (delta: number): number => {
          const shifted = Float64Array.from(values);
          shifted[i] = values[i]! + delta;
          const probe = torch.tensor(shifted, { dtype: 'float64' }).reshape(leaf.shape);
          const args = leaves.map((l, j) => (j === which ? probe : l.detach()));
          return objective(...args);
        };
        numeric[i] = (at(eps) - at(-eps)) / (2 * eps);
      }
      const g = analytic[which];
      const got = g ? (g.toTypedArray() as Float64Array) : new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(got[i]! - numeric[i]!));
    });
    return worst;
  });
}
