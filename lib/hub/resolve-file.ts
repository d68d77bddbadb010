// One file of a repository into the cache, as huggingface_hub's hf_hub_download: HEAD for the
// commit and etag, then (under the blob's lock) the bytes into blobs/<etag>.incomplete, resumed
// with Range after a dropped connection, renamed into blobs/<etag> once complete, and linked
// from snapshots/<commit>/<file>. A 404 for the file leaves a .no_exist marker.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';

import { acquireBlobLock } from './blob-lock.js';
import { cachedCommit, cachedFile } from './cache-lookup.js';
import { COMMIT_HASH } from './cache-paths.js';
import { errorForStatus, HubError } from './errors.js';
import { getFile, headFile, networkError, type FileMetadata } from './http.js';
import { resolveUrl, type HubContext } from './hub-context.js';

/** A dropped connection is retried from where it stopped this many times before giving up. */
const RESUME_ATTEMPTS = 5;

/** The file's local path, or null when the hub has no such file; commit is what revision resolved to. */
export interface ResolvedFile {
  commit: string;
  path: string | null;
}

let tmpCounter = 0;
function tmpName(path: string): string {
  return `${path}.${process.pid}.${++tmpCounter}.tmp`;
}

/** Writes a small file whole or not at all. */
async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tmpName(path);
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** refs/<revision> = commit, as Python writes it (no newline); nothing for a commit-hash revision. */
async function writeRef(ctx: HubContext, revision: string, commit: string): Promise<void> {
  if (revision === commit || COMMIT_HASH.test(revision)) return;
  if (cachedCommit(ctx.cache, revision) === commit) return;
  await writeAtomic(ctx.cache.ref(revision), commit);
}

/** snapshots/<commit>/<file> → a relative symlink to the blob (a copy where links fail), put in place by rename. */
async function linkPointer(blob: string, pointer: string): Promise<void> {
  await mkdir(dirname(pointer), { recursive: true });
  const tmp = tmpName(pointer);
  try {
    await symlink(relative(dirname(pointer), blob), tmp);
  } catch {
    await copyFile(blob, tmp);
  }
  await rename(tmp, pointer);
}

/** Cached answer for a revision, when the hub cannot be asked. */
function fromCache(ctx: HubContext, revision: string, file: string): ResolvedFile | null {
  const commit = cachedCommit(ctx.cache, revision);
  if (commit === null) return null;
  const found = cachedFile(ctx.cache, commit, file);
  if (found.state === 'present') return { commit, path: found.path };
  if (found.state === 'absent') return { commit, path: null };
  return null;
}

async function sha256Of(path: string): Promise<ReturnType<typeof createHash>> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

/** Bytes of the blob into <etag>.incomplete, resumed from what an earlier try left there. */
async function downloadBlob(ctx: HubContext, file: string, meta: FileMetadata & { etag: string }): Promise<void> {
  const incomplete = ctx.cache.incomplete(meta.etag);
  // An LFS etag is the file's sha256: checked at the end, so a resumed file cannot be silently wrong.
  const checksum = /^[0-9a-f]{64}$/.test(meta.etag);
  await mkdir(dirname(incomplete), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt <= RESUME_ATTEMPTS; attempt++) {
    let start = existsSync(incomplete) ? (await stat(incomplete)).size : 0;
    if (meta.size !== null && start > meta.size) {
      await rm(incomplete, { force: true });
      start = 0;
    }
    const { response, controller } = await getFile(meta.location, start, { id: ctx.id, headers: ctx.headers, timeoutMs: ctx.downloadTimeoutMs, dropAuthorization: meta.otherHost });
    if (response.status === 416 && meta.size !== null && start === meta.size) {
      await response.body?.cancel();
      break; // everything arrived before the connection dropped
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw errorForStatus(response.status, response.headers, { id: ctx.id, revision: ctx.revision, file, endpoint: ctx.endpoint, hadToken: ctx.token !== undefined });
    }
    // A server that ignores Range (200) or answers another range sends the file from byte 0.
    const range = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
    const resumed = response.status === 206 && range !== null && Number(range[1]) === start;
    if (!resumed) start = 0;
    const handle = await open(incomplete, resumed ? 'a' : 'w');
    let bytes = start;
    const total = meta.size ?? (response.headers.get('content-length') ? start + Number(response.headers.get('content-length')) : null);
    let idle = setTimeout(() => controller.abort(new DOMException('no bytes', 'TimeoutError')), ctx.downloadTimeoutMs);
    try {
      if (!response.body) throw new HubError('BAD_RESPONSE', `${ctx.endpoint} sent no body for ${file} of ${ctx.id}`, ctx.id);
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(new DOMException('no bytes', 'TimeoutError')), ctx.downloadTimeoutMs);
        await handle.write(chunk);
        bytes += chunk.byteLength;
        ctx.onProgress?.({ id: ctx.id, file, bytes, total, done: false });
        ctx.lockTouch?.();
      }
      lastError = undefined;
    } catch (err) {
      if (err instanceof HubError) throw err;
      lastError = controller.signal.aborted ? controller.signal.reason : err;
    } finally {
      clearTimeout(idle);
      await handle.close();
    }
    if (lastError === undefined) {
      if (meta.size === null || bytes >= meta.size) break;
      lastError = new Error(`the connection closed after ${bytes} of ${meta.size} bytes`);
    }
  }
  if (lastError !== undefined) {
    const base = networkError(lastError, meta.location, { id: ctx.id, timeoutMs: ctx.downloadTimeoutMs }, `downloading ${file}`);
    base.message += `; the ${(await stat(incomplete).catch(() => ({ size: 0 }))).size} bytes received are kept in ${incomplete} and the next try resumes from there`;
    throw base;
  }
  const size = (await stat(incomplete)).size;
  if (meta.size !== null && size !== meta.size) {
    await rm(incomplete, { force: true });
    throw new HubError('BAD_RESPONSE', `${file} of ${ctx.id}: received ${size} bytes, the hub announced ${meta.size}`, ctx.id);
  }
  if (checksum) {
    const digest = (await sha256Of(incomplete)).digest('hex');
    if (digest !== meta.etag) {
      await rm(incomplete, { force: true });
      throw new HubError('BAD_RESPONSE', `${file} of ${ctx.id}: the download's sha256 ${digest} is not the hub's ${meta.etag}; it was discarded, try again`, ctx.id);
    }
  }
  ctx.onProgress?.({ id: ctx.id, file, bytes: size, total: meta.size ?? size, done: true });
  await rename(incomplete, ctx.cache.blob(meta.etag));
}

/**
 * Resolves `file` at `revision` (a branch, tag or commit) to a path in the cache, downloading
 * it when needed. Offline (or when the hub cannot be reached, or refuses access) a cached copy
 * is used, as huggingface_hub does; without one the error says why.
 */
export async function resolveFile(ctx: HubContext, file: string, revision: string = ctx.revision): Promise<ResolvedFile> {
  // A commit hash names its snapshot: nothing to ask the hub when the file (or its absence) is known.
  if (COMMIT_HASH.test(revision)) {
    const known = fromCache(ctx, revision, file);
    if (known) return known;
  }
  if (ctx.offline) {
    const known = fromCache(ctx, revision, file);
    if (known) return known;
    throw new HubError(
      'OFFLINE_NOT_CACHED',
      `${file} of ${ctx.id} (revision ${revision}) is not in the cache at ${ctx.cache.cacheDir}, and HF_HUB_OFFLINE is set: download it once online, or point HF_HUB_CACHE at a cache that has it`,
      ctx.id,
    );
  }
  let head: Awaited<ReturnType<typeof headFile>>;
  try {
    head = await headFile(resolveUrl(ctx, revision, file), { id: ctx.id, headers: ctx.headers, timeoutMs: ctx.etagTimeoutMs });
  } catch (err) {
    // The hub is unreachable: a cached copy still serves, as in huggingface_hub.
    const known = fromCache(ctx, revision, file);
    if (known) return known;
    throw err;
  }
  const { response, metadata } = head;
  const at = { id: ctx.id, revision, file, endpoint: ctx.endpoint, hadToken: ctx.token !== undefined };
  if (!response.ok && !metadata.otherHost) {
    const error = errorForStatus(response.status, response.headers, at);
    if (error.code === 'ENTRY_NOT_FOUND') {
      if (metadata.commit !== null && COMMIT_HASH.test(metadata.commit)) {
        await writeAtomic(ctx.cache.noExist(metadata.commit, file), '');
        await writeRef(ctx, revision, metadata.commit);
        return { commit: metadata.commit, path: null };
      }
      throw error;
    }
    if (error.code === 'REVISION_NOT_FOUND') throw error;
    // 401/403/5xx: a cached copy serves (the repo may have turned gated after we downloaded it).
    const known = fromCache(ctx, revision, file);
    if (known) return known;
    throw error;
  }
  const { commit, etag } = metadata;
  if (commit === null || !COMMIT_HASH.test(commit)) {
    throw new HubError('BAD_RESPONSE', `${resolveUrl(ctx, revision, file)} answered without an X-Repo-Commit header: HF_ENDPOINT (${ctx.endpoint}) does not look like a Hugging Face hub`, ctx.id);
  }
  if (etag === null || etag === '' || etag.includes('/') || etag.includes('..')) {
    throw new HubError('BAD_RESPONSE', `${resolveUrl(ctx, revision, file)} answered without a usable ETag, so the file cannot be cached reproducibly`, ctx.id);
  }
  const pointer = ctx.cache.pointer(commit, file);
  await writeRef(ctx, revision, commit);
  if (existsSync(pointer)) return { commit, path: pointer };
  const blob = ctx.cache.blob(etag);
  const lock = await acquireBlobLock(ctx.cache.lock(etag));
  try {
    // Another process may have finished this blob while we waited for the lock.
    if (!existsSync(blob)) await downloadBlob({ ...ctx, lockTouch: lock.touch }, file, { ...metadata, etag });
    if (!existsSync(pointer)) await linkPointer(blob, pointer);
  } finally {
    await lock.release();
  }
  return { commit, path: pointer };
}
