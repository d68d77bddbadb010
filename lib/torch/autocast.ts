// Mixed precision as torch.autocast: inside the region libtorch runs matmuls and other
// eligible ops in the lower precision and keeps the rest (and the weights) in float32.
import { native } from '../native.js';
import { describeValue } from './describe.js';
import { dtypeCode, dtypeName, type DType } from './dtype.js';
import { refuseAsync } from './synchronous-only.js';
import { Tensor, handleOf } from './tensor.js';

export interface AutocastOptions {
  device?: 'cpu' | 'cuda';
  /** bfloat16 by default on CPU (AMX/AVX-512 run it several times faster), float16 on CUDA. */
  dtype?: DType;
  enabled?: boolean;
}

/** Runs fn with autocast on (or off, with enabled: false) and restores the previous state. */
export function autocast<T>(options: AutocastOptions, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('autocast(options, fn): fn must be a function');
  const device = options.device ?? 'cpu';
  const dtype = options.dtype ?? (device === 'cpu' ? 'bfloat16' : 'float16');
  if (dtype !== 'bfloat16' && dtype !== 'float16') throw new TypeError(`autocast dtype must be bfloat16 or float16, got ${describeValue(dtype)}`);
  const [wasEnabled, previousDtype] = native.setAutocast(device, options.enabled ?? true, dtypeCode(dtype));
  try {
    const result = fn();
    refuseAsync(result, 'autocast(options, fn): fn returned a Promise; autocast cannot span an await');
    return result;
  } finally {
    native.setAutocast(device, wasEnabled, dtypeCode(dtypeName(previousDtype)));
  }
}

/** The CPU generator's state (a uint8 tensor), for exact resume. */
export function getRngState(): Tensor {
  return new Tensor(native.getRngState());
}

export function setRngState(state: Tensor): void {
  native.setRngState(handleOf(state, 'state'));
}
