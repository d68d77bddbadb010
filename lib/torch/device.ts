/** A device string as PyTorch writes it: 'cpu', 'cuda' or 'cuda:N'. */
export type Device = string;

const DEVICE_PATTERN = /^(cpu|cuda|meta)(:\d+)?$/;

/** The device string itself, checked, so libtorch never sees a malformed one. */
export function checkDevice(device: unknown, what = 'device'): Device {
  if (typeof device !== 'string' || !DEVICE_PATTERN.test(device)) {
    throw new TypeError(`${what} must be 'cpu', 'cuda' or 'cuda:N'; got ${JSON.stringify(device) ?? String(device)}`);
  }
  return device;
}
