// Hugging Face model folders: config.json and weights as model.safetensors, sharded
// safetensors with an index, or pytorch_model.bin (sharded too).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import { readJsonFile, readJsonObject } from './json-file.js';
import { removeStaleTemporaries } from './stale-temporaries.js';

import { describeValue } from '../torch/describe.js';
import type { Tensor } from '../torch/tensor.js';
import { loadSafetensors, loadSafetensorsAsync, saveSafetensors, saveSafetensorsAsync } from './safetensors.js';
import { loadTorchBin } from './torch-bin.js';

export type Config = Record<string, unknown>;

export interface Checkpoint {
  config: Config | undefined;
  stateDict: Record<string, Tensor>;
  /** The weight files read, in order. */
  files: string[];
  /** Keys renamed from legacy names, old → new. */
  renamed: Record<string, string>;
}

/** transformers' _fix_state_dict_key_on_load: TF-era LayerNorm names. */
export function fixLegacyKey(key: string): string {
  if (typeof key !== 'string') throw new TypeError(`fixLegacyKey(): key must be a string, got ${describeValue(key)}`);
  if (key.endsWith('LayerNorm.gamma')) return `${key.slice(0, -'gamma'.length)}weight`;
  if (key.endsWith('LayerNorm.beta')) return `${key.slice(0, -'beta'.length)}bias`;
  return key;
}

export function readConfig(dir: string): Config | undefined {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) return undefined;
  return readJsonObject(path, 'config') as Config;
}

/** The weight files of a folder, in the order transformers prefers them. */
export function weightFiles(dir: string): { format: 'safetensors' | 'bin'; files: string[] } {
  if (!existsSync(dir)) throw new Error(`model folder ${dir} does not exist`);
  const single = (name: string) => (existsSync(join(dir, name)) ? [join(dir, name)] : undefined);
  const sharded = (indexName: string) => {
    const path = join(dir, indexName);
    if (!existsSync(path)) return undefined;
    const index = readJsonFile(path, 'weight index') as { weight_map?: Record<string, unknown> } | null;
    if (!index || typeof index !== 'object' || typeof index.weight_map !== 'object' || index.weight_map === null || Array.isArray(index.weight_map)) {
      throw new Error(`weight index ${path} has no weight_map`);
    }
    const names = [...new Set(Object.values(index.weight_map))];
    for (const name of names) {
      // A shard is a file in this folder (or below it): not a path out of it.
      if (typeof name !== 'string' || name === '' || isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
        throw new Error(`weight index ${path} names the shard ${describeValue(name)}, which is not a file name inside ${dir}`);
      }
    }
    const files = (names as string[]).map((f) => join(dir, f));
    for (const f of files) if (!existsSync(f)) throw new Error(`weight index ${path} names ${f}, which is missing`);
    return files;
  };
  const st = single('model.safetensors') ?? sharded('model.safetensors.index.json');
  if (st) return { format: 'safetensors', files: st };
  const bin = single('pytorch_model.bin') ?? sharded('pytorch_model.bin.index.json');
  if (bin) return { format: 'bin', files: bin };
  throw new Error(`no weights in ${dir}: expected model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json`);
}

function merge(parts: Record<string, Tensor>[], files: string[], config: Config | undefined): Checkpoint {
  const stateDict: Record<string, Tensor> = {};
  const renamed: Record<string, string> = {};
  for (const part of parts) {
    for (const [key, t] of Object.entries(part)) {
      const fixed = fixLegacyKey(key);
      if (fixed !== key) renamed[key] = fixed;
      stateDict[fixed] = t;
    }
  }
  return { config, stateDict, files, renamed };
}

/** config.json and every weight of a Hugging Face model folder, legacy names fixed. */
export function loadCheckpoint(dir: string): Checkpoint {
  const config = readConfig(dir);
  const { format, files } = weightFiles(dir);
  const parts = files.map((f) => (format === 'safetensors' ? loadSafetensors(f) : loadTorchBin(f)));
  return merge(parts, files, config);
}

/** loadCheckpoint with the safetensors reads off the main thread. */
export async function loadCheckpointAsync(dir: string): Promise<Checkpoint> {
  const config = readConfig(dir);
  const { format, files } = weightFiles(dir);
  const parts: Record<string, Tensor>[] = [];
  for (const f of files) parts.push(format === 'safetensors' ? await loadSafetensorsAsync(f) : loadTorchBin(f));
  return merge(parts, files, config);
}

/** config.json from an object, or from the text a config writes (PretrainedConfig.toJSONText). */
function writeConfig(dir: string, config: Config | string): void {
  const path = join(dir, 'config.json');
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Writes config.json and model.safetensors (with transformers' {"format": "pt"} metadata). */
export function saveCheckpoint(dir: string, stateDict: Record<string, Tensor>, config?: Config): void {
  mkdirSync(dir, { recursive: true });
  removeStaleTemporaries(dir);
  saveSafetensors(join(dir, 'model.safetensors'), stateDict, { format: 'pt' });
  rmSync(join(dir, 'model.safetensors.index.json'), { force: true });
  if (config) writeConfig(dir, config);
}

export async function saveCheckpointAsync(dir: string, stateDict: Record<string, Tensor>, config?: Config | string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveSafetensorsAsync(join(dir, 'model.safetensors'), stateDict, { format: 'pt' });
  rmSync(join(dir, 'model.safetensors.index.json'), { force: true });
  if (config) writeConfig(dir, config);
}
