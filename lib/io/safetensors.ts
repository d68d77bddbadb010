// safetensors: an 8-byte little-endian header length, a JSON header naming each tensor's
// dtype, shape and byte range, then the bytes. Every header is checked against the file
// before any data is read, so a hostile file gets an error, never a read outside it.
import { closeSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';

import { native, type FileSlice } from '../native.js';
import { describeValue } from '../torch/describe.js';
import { dtypeCode, type DType } from '../torch/dtype.js';
import { Tensor, handleOf } from '../torch/tensor.js';
import { openRegularFile, openRegularFileAsync, readExactly, WeightFileError } from './weight-file.js';
import { removeStaleTemporaries } from './stale-temporaries.js';

const DTYPES: Record<string, { dtype: DType; size: number }> = {
  F64: { dtype: 'float64', size: 8 },
  F32: { dtype: 'float32', size: 4 },
  F16: { dtype: 'float16', size: 2 },
  BF16: { dtype: 'bfloat16', size: 2 },
  I64: { dtype: 'int64', size: 8 },
  I32: { dtype: 'int32', size: 4 },
  I16: { dtype: 'int16', size: 2 },
  I8: { dtype: 'int8', size: 1 },
  U8: { dtype: 'uint8', size: 1 },
  BOOL: { dtype: 'bool', size: 1 },
};
const NAMES = Object.fromEntries(Object.entries(DTYPES).map(([name, { dtype }]) => [dtype, name])) as Record<DType, string>;
const MAX_HEADER = 100_000_000;

export class SafetensorsError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: not a valid safetensors file: ${problem}`);
    this.name = 'SafetensorsError';
  }
}

export interface SafetensorsEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Byte range within the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  metadata: Record<string, string>;
  entries: SafetensorsEntry[];
  /** Where the data section starts in the file. */
  dataStart: number;
}

function parseHeader(path: string, fileSize: number, readAt: (position: number, length: number) => Buffer): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new SafetensorsError(path, problem);
  };
  if (fileSize < 8) fail(`the file has ${fileSize} bytes, too few for the 8-byte header length`);
  const length = readAt(0, 8).readBigUInt64LE(0);
  if (length > BigInt(fileSize - 8)) fail(`the header length ${length} is larger than the rest of the file (${fileSize - 8} bytes)`);
  if (length > BigInt(MAX_HEADER)) fail(`the header length ${length} exceeds ${MAX_HEADER} bytes`);
  const headerLength = Number(length);
  let json: unknown;
  try {
    json = JSON.parse(readAt(8, headerLength).toString('utf8'));
  } catch (err) {
    fail(`the header is not valid JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
        fail('__metadata__ must be an object of strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') fail(`tensor '${name}' is not described by an object`);
    const kind = typeof info.dtype === 'string' && Object.hasOwn(DTYPES, info.dtype) ? DTYPES[info.dtype] : undefined;
    if (!kind) fail(`tensor '${name}' has unknown dtype ${describeValue(info.dtype)} (known: ${Object.keys(DTYPES).join(', ')})`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) fail(`tensor '${name}' has an invalid shape ${describeValue(shape)}`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[0] > offsets[1]) {
      fail(`tensor '${name}' has invalid data_offsets ${describeValue(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (numel * kind!.size !== end - begin) {
      fail(`tensor '${name}' of shape [${(shape as number[]).join(', ')}] and dtype ${info.dtype as string} needs ${numel * kind!.size} bytes, its data_offsets give ${end - begin}`);
    }
    if (end > dataLength) fail(`tensor '${name}' ends at byte ${end} of the data section, which has ${dataLength} (the file is truncated or the offsets are wrong)`);
    entries.push({ name, dtype: kind!.dtype, shape: shape as number[], begin, end });
  }
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byOffset.length; i++) {
    const [prev, cur] = [byOffset[i - 1]!, byOffset[i]!];
    if (cur.begin < prev.end) fail(`tensors '${prev.name}' and '${cur.name}' overlap`);
  }
  return { metadata, entries, dataStart };
}

function readHeaderSync(path: string): { header: SafetensorsHeader; fd: number } {
  // A regular file of known size, checked before it is opened for reading (a FIFO would block).
  const { fd, size } = openRegularFile(path, 'a weight file');
  try {
    return { header: parseHeader(path, size, (position, length) => readExactly(fd, path, position, length)), fd };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function slicesOf(header: SafetensorsHeader): FileSlice[] {
  return header.entries.map((e) => ({ offset: header.dataStart + e.begin, length: e.end - e.begin, shape: e.shape, dtype: dtypeCode(e.dtype) }));
}

function record(header: SafetensorsHeader, handles: number[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  // defineProperty, not assignment: a tensor named '__proto__' is a key like any other.
  header.entries.forEach((e, i) => Object.defineProperty(out, e.name, { value: new Tensor(handles[i]!), enumerable: true, writable: true, configurable: true }));
  return out;
}

/** The header alone: names, dtypes, shapes and __metadata__, checked against the file. */
export function readSafetensorsHeader(path: string): SafetensorsHeader {
  const { header, fd } = readHeaderSync(path);
  closeSync(fd);
  return header;
}

/** Every tensor of a safetensors file, read straight into tensor memory (one copy). */
export function loadSafetensors(path: string): Record<string, Tensor> {
  const header = readSafetensorsHeader(path);
  return record(header, native.readTensors(path, slicesOf(header)));
}

/** loadSafetensors on the thread pool. */
export async function loadSafetensorsAsync(path: string): Promise<Record<string, Tensor>> {
  const { file, size } = await openRegularFileAsync(path, 'a weight file');
  let header: SafetensorsHeader;
  try {
    const readFully = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      if (bytesRead !== length) {
        throw new WeightFileError(path, 'TRUNCATED', `${path}: the file ended at byte ${position + bytesRead} while reading ${length} bytes at ${position} (it was truncated while being read)`);
      }
      return buffer;
    };
    const chunks = new Map<number, Buffer>();
    // parseHeader reads synchronously; fetch the two pieces it asks for first.
    if (size >= 8) {
      const first = await readFully(0, 8);
      chunks.set(0, first);
      const length = Number(first.readBigUInt64LE(0) > BigInt(Math.min(size - 8, MAX_HEADER)) ? 0n : first.readBigUInt64LE(0));
      chunks.set(8, await readFully(8, length));
    }
    header = parseHeader(path, size, (position, length) => {
      const chunk = chunks.get(position);
      return chunk && chunk.length === length ? chunk : Buffer.alloc(length);
    });
  } finally {
    await file.close();
  }
  return record(header, await native.readTensorsAsync(path, slicesOf(header)));
}

function buildHeader(tensors: Record<string, Tensor>, metadata: Record<string, string> | undefined): { header: Buffer; ordered: Tensor[] } {
  if (tensors === null || typeof tensors !== 'object') throw new TypeError('saveSafetensors(): tensors must be an object of Tensors');
  const json: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Object.values(metadata).some((v) => typeof v !== 'string')) {
      throw new TypeError('saveSafetensors(): metadata must be an object of strings');
    }
    json.__metadata__ = metadata;
  }
  const names = Object.keys(tensors).sort();
  const ordered: Tensor[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    handleOf(t, `saveSafetensors(): '${name}'`);
    const dtype = t.dtype;
    const bytes = t.numel() * DTYPES[NAMES[dtype]]!.size;
    Object.defineProperty(json, name, { value: { dtype: NAMES[dtype], shape: t.shape, data_offsets: [offset, offset + bytes] }, enumerable: true });
    offset += bytes;
    ordered.push(t);
  }
  let text = JSON.stringify(json);
  text += ' '.repeat((8 - (Buffer.byteLength(text) % 8)) % 8);
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8 + body.length);
  header.writeBigUInt64LE(BigInt(body.length), 0);
  body.copy(header, 8);
  return { header, ordered };
}

/** The temporaries of earlier writes of `path` whose processes died part way. */
function removeStaleTemporariesOf(path: string): void {
  const name = `${basename(path)}.tmp-`;
  removeStaleTemporaries(dirname(path), (entry) => entry.startsWith(name));
}

function temporaryPath(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

/** Writes tensors (any device) to a safetensors file, atomically: a reader never sees half of it. */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  const { header, ordered } = buildHeader(tensors, metadata);
  removeStaleTemporariesOf(path);
  const tmp = temporaryPath(path);
  try {
    native.writeTensors(tmp, header, ordered.map((t) => t.handle));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export async function saveSafetensorsAsync(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  const { header, ordered } = buildHeader(tensors, metadata);
  removeStaleTemporariesOf(path);
  const tmp = temporaryPath(path);
  try {
    await native.writeTensorsAsync(tmp, header, ordered.map((t) => t.handle));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
