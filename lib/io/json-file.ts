// JSON files a model folder, a checkpoint or a shard folder holds: a missing, unreadable or
// corrupt one is an error naming the file and what it is, never a bare SyntaxError.
import { readFileSync } from 'node:fs';

/** The parsed contents of `path`; `what` names the file in errors ('config', 'tokenizer config'). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`);
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
