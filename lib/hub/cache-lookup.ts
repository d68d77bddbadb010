// Reading the cache without a request, as huggingface_hub's try_to_load_from_cache: a revision
// becomes a commit through refs/ (a commit hash is its own), then the snapshot holds the file,
// or .no_exist says the hub has none.
import { existsSync, readFileSync } from 'node:fs';

import { COMMIT_HASH, type RepoCache } from './cache-paths.js';

/** The commit a revision stands for in the cache, or null when it was never resolved here. */
export function cachedCommit(cache: RepoCache, revision: string): string | null {
  if (COMMIT_HASH.test(revision)) return revision;
  try {
    const commit = readFileSync(cache.ref(revision), 'utf8').trim();
    return COMMIT_HASH.test(commit) ? commit : null;
  } catch {
    return null;
  }
}

export type CachedFile = { state: 'present'; path: string } | { state: 'absent' } | { state: 'unknown' };

/** Whether a commit's file is cached (present), known missing on the hub (absent), or neither. */
export function cachedFile(cache: RepoCache, commit: string, file: string): CachedFile {
  const path = cache.pointer(commit, file);
  // existsSync follows the symlink: a link to a deleted blob is not a cached file.
  if (existsSync(path)) return { state: 'present', path };
  if (existsSync(cache.noExist(commit, file))) return { state: 'absent' };
  return { state: 'unknown' };
}
