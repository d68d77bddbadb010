// huggingface_hub's cache layout for one model repository:
//   models--org--name/blobs/<etag>            the bytes, named by etag (git sha1 or LFS sha256)
//   models--org--name/snapshots/<commit>/<f>  relative symlinks into blobs (copies where links fail)
//   models--org--name/refs/<revision>         the commit a branch or tag pointed at
//   models--org--name/.no_exist/<commit>/<f>  empty markers for files the hub answered 404 for
//   .locks/models--org--name/<etag>.lock      Python's flock files (ours sit beside them)
import { join } from 'node:path';

import { repoFolderName } from './hub-id.js';

/** A commit hash: a revision that needs no refs lookup. */
export const COMMIT_HASH = /^[0-9a-f]{40}$/;

export class RepoCache {
  readonly folder: string;
  readonly locks: string;

  constructor(
    readonly cacheDir: string,
    readonly id: string,
  ) {
    this.folder = join(cacheDir, repoFolderName(id));
    this.locks = join(cacheDir, '.locks', repoFolderName(id));
  }

  blob(etag: string): string {
    return join(this.folder, 'blobs', etag);
  }

  incomplete(etag: string): string {
    return `${this.blob(etag)}.incomplete`;
  }

  snapshot(commit: string): string {
    return join(this.folder, 'snapshots', commit);
  }

  pointer(commit: string, file: string): string {
    return join(this.snapshot(commit), ...file.split('/'));
  }

  ref(revision: string): string {
    return join(this.folder, 'refs', ...revision.split('/'));
  }

  noExist(commit: string, file: string): string {
    return join(this.folder, '.no_exist', commit, ...file.split('/'));
  }

  /** Our lock beside Python's: Python's <etag>.lock is an flock file it never deletes, which an exclusive create cannot share. */
  lock(etag: string): string {
    return join(this.locks, `${etag}.plm-torch.lock`);
  }
}
