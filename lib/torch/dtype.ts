import { native } from '../native.js';
import { describeValue } from './describe.js';

/** Element types, with PyTorch's names. */
export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'];

const codes = native.dtypeCodes() as Record<DType, number>;
const names = new Map<number, DType>(DTYPES.map((name) => [codes[name], name]));

/** libtorch's ScalarType code for a dtype name; TypeError naming the bad value otherwise. */
export function dtypeCode(dtype: DType, what = 'dtype'): number {
  // Only a string is looked up: an object key would be its toString() (a Tensor's printout).
  const code = typeof dtype === 'string' && Object.hasOwn(codes, dtype) ? (codes as Record<string, number>)[dtype] : undefined;
  if (code === undefined) {
    throw new TypeError(`${what} must be one of ${DTYPES.join(', ')}; got ${describeValue(dtype)}`);
  }
  return code;
}

export function dtypeName(code: number): DType {
  const name = names.get(code);
  if (name === undefined) throw new TypeError(`plm-torch does not name libtorch's ScalarType ${code}`);
  return name;
}

export function isFloatingPoint(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

/** The typed array that reads a dtype's elements; half types are read as float32. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** The dtype whose bytes are copied out for `dtype` (half types widen to float32). */
export function readDtype(dtype: DType): DType {
  return dtype === 'float16' || dtype === 'bfloat16' ? 'float32' : dtype;
}

export function typedArrayOf(dtype: DType, buffer: ArrayBuffer): TypedArray {
  switch (readDtype(dtype)) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    default:
      return new Uint8Array(buffer);
  }
}

/** The dtype a typed array holds, for `tensor(typedArray)`. */
export function dtypeOfTypedArray(data: ArrayBufferView): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}
