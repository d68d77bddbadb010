// Checks every file read here makes before it reads a byte: a weight file (or a config next to
// it) must be a regular file of known size. A directory, a named pipe or a device under a weight
// file's name (a link to /dev/urandom read for gigabytes, a FIFO that blocks the reader
// forever) is an error naming the path, never a hang, a bare EISDIR or a process out of memory.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { totalmem } from 'node:os';

export type WeightFileErrorCode = 'ENOENT' | 'EACCES' | 'EISDIR' | 'NOT_A_FILE' | 'TRUNCATED' | 'NOT_ZIP' | 'LEGACY_PICKLE' | 'TOO_LARGE' | 'UNREADABLE';

export class WeightFileError extends Error {
  readonly path: string;
  readonly code: WeightFileErrorCode;

  constructor(path: string, code: WeightFileErrorCode, message: string) {
    super(message);
    this.name = 'WeightFileError';
    this.path = path;
    this.code = code;
  }
}

/**
 * The memory this process can use: the machine's, or its cgroup limit when that is lower
 * (process.constrainedMemory() is 2^64 or 0 when there is none).
 */
export function memoryLimit(): number {
  const total = totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}

/** '1.5 GB' for byte counts in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${bytes} bytes`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** ' (a link to /dev/urandom)' when path is a symbolic link, else ''. */
function linkNote(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? ` (a link to ${readlinkSync(path)})` : '';
  } catch {
    return '';
  }
}

function notRegular(path: string, st: Stats, what: string): WeightFileError {
  return new WeightFileError(path, st.isDirectory() ? 'EISDIR' : 'NOT_A_FILE', `${path}${linkNote(path)} is ${kindOf(st)}, not ${what}`);
}

function openFailed(path: string, err: unknown, what: string): WeightFileError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') {
    const note = linkNote(path);
    return new WeightFileError(path, 'ENOENT', `${path}${note}: no such file${note ? ' (the link is broken)' : ''}`);
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') return new WeightFileError(path, 'EACCES', `${path}: permission denied (cannot read ${what})`);
  if (e.code === 'EISDIR') return new WeightFileError(path, 'EISDIR', `${path} is a directory, not ${what}`);
  return new WeightFileError(path, 'UNREADABLE', `cannot open ${what} ${path}: ${e.message}`);
}

// O_NONBLOCK: should the path become a FIFO between the stat and the open, the open returns
// at once instead of waiting for a writer (the fstat after it then refuses the file).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens path for reading after checking that it is a regular file (stat first: opening a FIFO
 * blocks, opening some devices has effects). `what` names the file in messages. The caller
 * closes the descriptor.
 */
export function openRegularFile(path: string, what = 'a weight file'): { fd: number; size: number } {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw openFailed(path, err, what);
  }
  if (!st.isFile()) throw notRegular(path, st, what);
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (err) {
    throw openFailed(path, err, what);
  }
  const opened = fstatSync(fd);
  if (!opened.isFile()) {
    closeSync(fd);
    throw notRegular(path, opened, what);
  }
  return { fd, size: opened.size };
}

/** openRegularFile with fs/promises (a FIFO must not hold a thread-pool thread either). */
export async function openRegularFileAsync(path: string, what = 'a weight file'): Promise<{ file: FileHandle; size: number }> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (err) {
    throw openFailed(path, err, what);
  }
  if (!st.isFile()) throw notRegular(path, st, what);
  let file: FileHandle;
  try {
    file = await open(path, READ_FLAGS);
  } catch (err) {
    throw openFailed(path, err, what);
  }
  const opened = await file.stat();
  if (!opened.isFile()) {
    await file.close();
    throw notRegular(path, opened, what);
  }
  return { file, size: opened.size };
}

/** Checks that path is a regular file and returns its size, leaving nothing open. */
export function checkRegularFile(path: string, what = 'a weight file'): number {
  const { fd, size } = openRegularFile(path, what);
  closeSync(fd);
  return size;
}

/** `length` bytes at `position`, or an error naming the path when the file has fewer now. */
export function readExactly(fd: number, path: string, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new WeightFileError(path, 'TRUNCATED', `${path}: the file ended at byte ${position + done} while reading ${length} bytes at ${position} (it was truncated while being read)`);
    done += n;
  }
  return buffer;
}
