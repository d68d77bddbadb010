import { native } from '../native.js';
import { describeValue } from './describe.js';
import { TorchError } from './errors.js';

/** A device string as PyTorch writes it: 'cpu', 'cuda' or 'cuda:N'. */
export type Device = string;

const DEVICE_PATTERN = /^(cpu|cuda|meta)(:\d+)?$/;

/** Whether a string names a device (and not, say, a dtype): its form only, not its presence. */
export function isDeviceName(name: string): boolean {
  return DEVICE_PATTERN.test(name);
}

let cudaDevices: number | undefined;

/**
 * The device string itself, checked, so libtorch never sees a malformed one, nor a CUDA
 * device this process does not have (libtorch's own message for that is a page of
 * dispatcher tables).
 */
export function checkDevice(device: unknown, what = 'device'): Device {
  if (typeof device !== 'string' || !DEVICE_PATTERN.test(device)) {
    throw new TypeError(`${what} must be 'cpu', 'cuda' or 'cuda:N'; got ${describeValue(device)}`);
  }
  if (device.startsWith('cuda')) {
    cudaDevices ??= native.cudaIsAvailable() ? native.cudaDeviceCount() : 0;
    const index = Number(device.split(':')[1] ?? 0);
    if (cudaDevices === 0) {
      throw new TorchError(`${what} is '${device}', but CUDA is not available here (a CPU build of libtorch, or no GPU visible; plm-torch doctor shows which)`, 'TORCH_NO_CUDA');
    }
    if (index >= cudaDevices) throw new RangeError(`${what} is '${device}', but there ${cudaDevices === 1 ? 'is 1 CUDA device' : `are ${cudaDevices} CUDA devices`}`);
  }
  return device;
}
