// JSON files a model folder, a checkpoint or a shard folder holds: a missing, unreadable or
// corrupt one is an error naming the file and what it is, never a bare SyntaxError.
import { closeSync, readFileSync } from 'node:fs';

import { formatBytes, openRegularFile, WeightFileError } from './weight-file.js';

// The largest JSON file read here: tokenizer.json of the biggest vocabularies is tens of MB; a
// file far past that is a mistake (a weight file under a JSON name, a link to a device) and
// would end in V8's string limit or out of memory.
const MAX_JSON_BYTES = 512 * 2 ** 20;

/** The parsed contents of `path`; `what` names the file in errors ('config', 'tokenizer config'). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  let fd: number;
  let size: number;
  try {
    // A regular file, checked before it is read: a FIFO would block, a device never end.
    ({ fd, size } = openRegularFile(path, `a ${what} file`));
  } catch (err) {
    // WeightFileError's message names the path already.
    throw new Error(err instanceof WeightFileError ? `cannot read ${what}: ${err.message}` : `cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    if (size > MAX_JSON_BYTES) throw new Error(`the file has ${formatBytes(size)}, more than the ${formatBytes(MAX_JSON_BYTES)} a JSON file here may have`);
    text = readFileSync(fd, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what} ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** As readJsonFile, for files that must hold one JSON object. */
export function readJsonObject(path: string, what: string): Record<string, unknown> {
  const value = readJsonFile(path, what);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${what} ${path} must hold a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
