import { existsSync } from 'node:fs';

import { native } from '../native.js';
import { Tensor } from '../torch/tensor.js';

/**
 * A PyTorch `.bin` state dict (torch.save's zip format), read by libtorch's own unpickler:
 * it knows tensors, dicts and lists and runs no code from the file. The file is read into
 * memory whole before its tensors are made; prefer safetensors for large checkpoints.
 */
export function loadTorchBin(path: string): Record<string, Tensor> {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  let names: string[];
  let handles: number[];
  try {
    [names, handles] = native.loadPickle(path);
  } catch (err) {
    // libtorch's reader does not say which file it was reading.
    if (err instanceof Error) err.message = `${path}: ${err.message}`;
    throw err;
  }
  const out: Record<string, Tensor> = {};
  names.forEach((name, i) => (out[name] = new Tensor(handles[i]!)));
  return out;
}
