import { closeSync } from 'node:fs';

import { native } from '../native.js';
import { Tensor } from '../torch/tensor.js';
import { formatBytes, memoryLimit, openRegularFile, readExactly, WeightFileError } from './weight-file.js';

const LOCAL_HEADER = 0x04034b50; // 'PK\x03\x04'
const CENTRAL_HEADER = 0x02014b50; // 'PK\x01\x02'
const END_OF_CENTRAL_DIRECTORY = 0x06054b50; // 'PK\x05\x06'
const ZIP64_LOCATOR = 0x07064b50; // 'PK\x06\x07'
const ZIP64_END = 0x06064b50; // 'PK\x06\x06'
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

function hex(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Checks that path is a torch.save zip archive whole enough for libtorch's reader: a regular
 * file, the local-header signature at byte 0, an end-of-central-directory record (zip64 too)
 * at its end, and a central directory inside the file. libtorch's reader takes the whole file
 * into memory before it looks at it, so a device, a pipe, a truncated download or a legacy
 * pickle is refused here, by path, without reading more than the file's two ends.
 */
export function checkTorchZip(path: string): void {
  const fail = (code: 'NOT_ZIP' | 'TRUNCATED' | 'LEGACY_PICKLE' | 'TOO_LARGE', problem: string): never => {
    throw new WeightFileError(path, code, `${path}: ${problem}`);
  };
  const { fd, size } = openRegularFile(path, 'a weight file');
  try {
    const read = (position: number, length: number) => readExactly(fd, path, position, length);
    if (size === 0) fail('TRUNCATED', 'the file is empty, not a torch.save archive');
    const head = read(0, Math.min(4, size));
    // torch.save before PyTorch 1.6 (or _use_new_zipfile_serialization=False) wrote a bare
    // pickle: it starts with the PROTO opcode 0x80.
    if (head[0] === 0x80) {
      fail('LEGACY_PICKLE', 'a legacy torch.save file (a bare pickle, the format before PyTorch 1.6), which this reader does not load: re-save it with torch.save from PyTorch 1.6 or newer, or convert it to safetensors');
    }
    if (head.length < 4 || head.readUInt32LE(0) !== LOCAL_HEADER) {
      fail('NOT_ZIP', `not a torch.save zip archive: it starts with the bytes ${hex(head)}, not the zip signature 50 4b 03 04`);
    }
    if (size < 4 + EOCD_SIZE) fail('TRUNCATED', `the zip archive has ${size} bytes, too few for its end-of-central-directory record: the file is truncated`);
    // libtorch reads the file whole, into a vector that grows by doubling, then copies each
    // tensor out of it: a file over half the memory cannot load and would take the process down.
    const limit = memoryLimit();
    if (size > limit / 2) {
      fail('TOO_LARGE', `the file has ${formatBytes(size)}, and libtorch's reader holds all of it in memory next to the tensors it makes; this machine has ${formatBytes(limit)}: convert the checkpoint to safetensors, which is read tensor by tensor`);
    }
    const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
    const tailStart = size - tailLength;
    const tail = read(tailStart, tailLength);
    let eocd = -1;
    for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
      // The record's comment must run exactly to the end of the file.
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tailLength) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('TRUNCATED', `the zip archive (${size} bytes) has no end-of-central-directory record at its end: the file is truncated or not a zip archive`);
    const eocdAt = tailStart + eocd;
    let entries = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryAt = tail.readUInt32LE(eocd + 16);
    let directoryEnd = eocdAt;
    if (eocdAt >= 20 && read(eocdAt - 20, 4).readUInt32LE(0) === ZIP64_LOCATOR) {
      // zip64 (archives over 4 GB, and what PyTorch's writer always adds): the real counts are
      // in the zip64 end record the locator points at.
      const zip64At = read(eocdAt - 20, 20).readBigUInt64LE(8);
      if (zip64At > BigInt(eocdAt - 20 - 56)) fail('TRUNCATED', `the zip64 end record's offset ${zip64At} lies outside the archive: the file is truncated or corrupt`);
      const record = read(Number(zip64At), 56);
      if (record.readUInt32LE(0) !== ZIP64_END) fail('TRUNCATED', `no zip64 end record at byte ${zip64At}: the file is truncated or corrupt`);
      const big = [record.readBigUInt64LE(32), record.readBigUInt64LE(40), record.readBigUInt64LE(48)];
      if (big.some((v) => v > BigInt(Number.MAX_SAFE_INTEGER))) fail('TRUNCATED', 'the zip64 end record holds impossible sizes: the file is corrupt');
      [entries, directorySize, directoryAt] = big.map(Number) as [number, number, number];
      directoryEnd = Number(zip64At);
    } else if (entries === 0xffff || directorySize === 0xffffffff || directoryAt === 0xffffffff) {
      fail('TRUNCATED', 'the zip archive says it is zip64 but has no zip64 end record: the file is truncated or corrupt');
    }
    if (entries === 0) fail('NOT_ZIP', 'the zip archive is empty, not a torch.save archive');
    if (directoryAt + directorySize > directoryEnd) {
      fail('TRUNCATED', `the zip archive's central directory (bytes ${directoryAt} to ${directoryAt + directorySize}) does not fit before its end record at byte ${directoryEnd}: the file is truncated or corrupt`);
    }
    if (read(directoryAt, 4).readUInt32LE(0) !== CENTRAL_HEADER) fail('TRUNCATED', `no central directory at byte ${directoryAt}, where the end record puts it: the file is truncated or corrupt`);
  } finally {
    closeSync(fd);
  }
}

/**
 * A PyTorch `.bin` state dict (torch.save's zip format), read by libtorch's own unpickler:
 * it knows tensors, dicts and lists and runs no code from the file. The file is checked first
 * (checkTorchZip), then read into memory whole before its tensors are made; prefer
 * safetensors for large checkpoints.
 */
export function loadTorchBin(path: string): Record<string, Tensor> {
  checkTorchZip(path);
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
  // defineProperty, not assignment: a tensor named '__proto__' is a key like any other.
  names.forEach((name, i) => Object.defineProperty(out, name, { value: new Tensor(handles[i]!), enumerable: true, writable: true, configurable: true }));
  return out;
}
