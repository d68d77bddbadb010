// A model id and revision to a local folder: the snapshot holding the files a model (or a
// tokenizer) needs. A complete cached snapshot is used without a request; otherwise config.json
// is asked for first, and every other file is then taken at the commit it resolved to, so the
// folder never mixes two commits.
import { existsSync, readFileSync } from 'node:fs';

import { cachedCommit, cachedFile } from './cache-lookup.js';
import { HubError } from './errors.js';
import { hubContext, type HubContext, type HubOptions } from './hub-context.js';
import { parseHubId } from './hub-id.js';
import { resolveFile } from './resolve-file.js';

/** The tokenizer files plm-torch reads (tokenizer.json, else a WordPiece vocab.txt). */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const;

/** Weights in the order transformers prefers them: safetensors, sharded safetensors, then the torch pickles. */
const WEIGHTS = [
  { file: 'model.safetensors', index: false },
  { file: 'model.safetensors.index.json', index: true },
  { file: 'pytorch_model.bin', index: false },
  { file: 'pytorch_model.bin.index.json', index: true },
] as const;

/** 'model': config.json, the weights and the tokenizer files there are; 'tokenizer': the tokenizer files; or the exact files. */
export type SnapshotFiles = 'model' | 'tokenizer' | readonly string[];

export interface ResolveModelOptions extends HubOptions {
  files?: SnapshotFiles;
}

function shardsOf(indexPath: string, id: string): string[] {
  let map: unknown;
  try {
    map = (JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: unknown }).weight_map;
  } catch (err) {
    throw new HubError('BAD_RESPONSE', `${id}: the weight index ${indexPath} is not JSON: ${(err as Error).message}`, id);
  }
  if (!map || typeof map !== 'object') throw new HubError('BAD_RESPONSE', `${id}: the weight index ${indexPath} has no weight_map`, id);
  const files = [...new Set(Object.values(map as Record<string, unknown>))];
  for (const f of files) if (typeof f !== 'string' || f.includes('..') || f.startsWith('/')) throw new HubError('BAD_RESPONSE', `${id}: the weight index names ${String(f)}, not a file of the repository`, id);
  return files as string[];
}

function missing(ctx: HubContext, what: string, commit: string): HubError {
  return new HubError('ENTRY_NOT_FOUND', `${ctx.id} (revision ${ctx.revision}, commit ${commit.slice(0, 12)}) has no ${what}`, ctx.id);
}

/** A file source: the cache alone (offline lookups, the no-request check) or the hub. */
type Source = (file: string) => Promise<string | null> | string | null;

/** Fetches (or finds) every file `files` asks for through `get`; throws for a required one that is missing. */
async function collect(ctx: HubContext, files: SnapshotFiles, get: Source, commit: () => string): Promise<void> {
  if (Array.isArray(files)) {
    for (const f of files as readonly string[]) if ((await get(f)) === null) throw missing(ctx, f, commit());
    return;
  }
  if (files === 'model') {
    if ((await get('config.json')) === null) throw missing(ctx, 'config.json: not a model repository', commit());
    let found = false;
    for (const w of WEIGHTS) {
      const path = await get(w.file);
      if (path === null) continue;
      if (w.index) for (const shard of shardsOf(path, ctx.id)) if ((await get(shard)) === null) throw missing(ctx, `${shard}, which ${w.file} names`, commit());
      found = true;
      break;
    }
    if (!found) throw missing(ctx, `weights (${WEIGHTS.map((w) => w.file).join(', ')})`, commit());
  }
  const tokenizer: Record<string, string | null> = {};
  for (const f of TOKENIZER_FILES) tokenizer[f] = await get(f);
  if (files === 'tokenizer' && tokenizer['tokenizer.json'] === null && tokenizer['vocab.txt'] === null) throw missing(ctx, 'tokenizer (neither tokenizer.json nor vocab.txt)', commit());
}

/** Thrown by the cache-only source for a file the cache cannot answer for. */
class NotCached extends Error {}

/**
 * The cached snapshot folder with every file `files` needs, or null. `strict`: each optional
 * file must be known (present, or marked missing in .no_exist), as an online resolve would
 * leave it; otherwise what is cached is enough (offline use, as transformers does).
 */
async function cachedSnapshot(ctx: HubContext, files: SnapshotFiles, strict: boolean): Promise<string | null> {
  const commit = cachedCommit(ctx.cache, ctx.revision);
  if (commit === null || !existsSync(ctx.cache.snapshot(commit))) return null;
  const get = (file: string): string | null => {
    const found = cachedFile(ctx.cache, commit, file);
    if (found.state === 'present') return found.path;
    if (found.state === 'unknown' && strict) throw new NotCached();
    return null;
  };
  try {
    await collect(ctx, files, get, () => commit);
  } catch (err) {
    if (err instanceof NotCached || (err instanceof HubError && !strict)) return null;
    throw err;
  }
  return ctx.cache.snapshot(commit);
}

/**
 * A local folder for a model folder or a hub id ('org/name' or a legacy 'name'), with
 * `{ revision }` a branch, tag or commit. A folder of that name wins, as in transformers.
 * A hub id is resolved into huggingface_hub's cache (which Python shares), downloading only
 * what is missing; a complete cached snapshot costs no request. Offline (HF_HUB_OFFLINE) the
 * cache alone answers.
 */
export async function resolveModelDir(idOrDir: string, options: ResolveModelOptions = {}): Promise<string> {
  if (typeof idOrDir !== 'string' || idOrDir === '') throw new TypeError(`expected a model folder or a hub id (org/name), got ${JSON.stringify(idOrDir)}`);
  if (existsSync(idOrDir)) return idOrDir;
  const id = parseHubId(idOrDir);
  if (id === null) throw new Error(`model folder ${idOrDir} does not exist (and it is not a hub id, which is org/name or name)`);
  const files = options.files ?? 'model';
  const ctx = hubContext(id, options);
  const cached = await cachedSnapshot(ctx, files, !ctx.offline);
  if (cached) return cached;
  if (ctx.offline) {
    const anything = cachedCommit(ctx.cache, ctx.revision);
    throw new HubError(
      'OFFLINE_NOT_CACHED',
      `${id} (revision ${ctx.revision}) is ${anything ? 'only partly' : 'not'} in the cache at ${ctx.cache.cacheDir}, and HF_HUB_OFFLINE is set: download it once online, or point HF_HUB_CACHE at a cache that has it`,
      id,
    );
  }
  // The first file fixes the commit; the rest are asked for at that commit.
  const first = Array.isArray(files) ? (files as readonly string[])[0] : files === 'model' ? 'config.json' : 'tokenizer_config.json';
  if (first === undefined) throw new TypeError('files: expected at least one file name');
  const head = await resolveFile(ctx, first);
  const commit = head.commit;
  const get = async (file: string): Promise<string | null> => (file === first ? head.path : (await resolveFile(ctx, file, commit)).path);
  await collect(ctx, files, get, () => commit);
  return ctx.cache.snapshot(commit);
}

/**
 * resolveModelDir without a request, for synchronous callers: the folder itself, else the
 * cached snapshot of a hub id with what `files` needs, else null.
 */
export function cachedModelDirSync(idOrDir: string, options: ResolveModelOptions = {}): string | null {
  if (existsSync(idOrDir)) return idOrDir;
  const id = parseHubId(idOrDir);
  if (id === null) return null;
  const ctx = hubContext(id, options);
  const commit = cachedCommit(ctx.cache, ctx.revision);
  if (commit === null) return null;
  const has = (f: string) => cachedFile(ctx.cache, commit, f).state === 'present';
  const files = options.files ?? 'model';
  const complete = Array.isArray(files)
    ? (files as readonly string[]).every(has)
    : files === 'model'
      ? has('config.json') && WEIGHTS.some((w) => has(w.file))
      : has('tokenizer.json') || has('vocab.txt');
  return complete ? ctx.cache.snapshot(commit) : null;
}
