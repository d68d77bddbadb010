// transformers' create_sinusoidal_embeddings: sin on even columns, cos on odd ones, computed in
// float64 (as numpy does there) and stored as float32.
import { tensor } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';

/** The (positions, dim) table: pos / 10000^(2⌊j/2⌋/dim), sin for even j, cos for odd j. */
export function sinusoidalPositionTable(positions: number, dim: number): Tensor {
  const table = new Float32Array(positions * dim);
  for (let pos = 0; pos < positions; pos++) {
    for (let j = 0; j < dim; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      table[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tensor(table).view(positions, dim);
}
