import { native } from '../native.js';

/**
 * Every error libtorch raises reaches JS as a TorchError: `code` says what kind
 * (TORCH_ERROR, TORCH_OOM, TORCH_NOT_IMPLEMENTED, DISPOSED, NATIVE_ERROR, TORCH_NO_CUDA), the
 * message is libtorch's own without the C++ backtrace (set PLM_TORCH_DEBUG=1 to keep it).
 * Argument mistakes are TypeError or RangeError instead, as elsewhere in Node.
 */
export class TorchError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'TorchError';
    this.code = code;
  }
}

native.setErrorClass(TorchError);
