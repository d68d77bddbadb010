// transformers 5 checks config.json types strictly: initializer_range, initializer_cutoff_factor
// and norm_eps must be JSON floats, and JSON.stringify writes 2.0 as 2, which it refuses.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fields transformers' ModernBertConfig types as float alone (not float | int). */
export const FLOAT_FIELDS = ['initializer_range', 'initializer_cutoff_factor', 'norm_eps'] as const;

/** Rewrites the folder's config.json so these top-level fields read 2.0, not 2. */
export function writeFloatFields(dir: string, keys: readonly string[] = FLOAT_FIELDS): void {
  const path = join(dir, 'config.json');
  let text = readFileSync(path, 'utf8');
  for (const key of keys) {
    // Top-level keys are indented by two spaces in the file the core writes.
    text = text.replace(new RegExp(`^(  ${JSON.stringify(key)}: )(-?\\d+)(,?)$`, 'm'), '$1$2.0$3');
  }
  writeFileSync(path, text);
}
