// CUDA queries. They work against a CPU-only libtorch too, answering that no GPU exists.
import { native } from '../native.js';

export function isAvailable(): boolean {
  return native.cudaIsAvailable();
}

export function deviceCount(): number {
  return native.cudaDeviceCount();
}

/** Waits for all work queued on a device (the current one by default). */
export function synchronize(device?: number): void {
  native.cudaSynchronize(device);
}
