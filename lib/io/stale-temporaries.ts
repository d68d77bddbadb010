// Temporary files and folders this package writes before renaming them into place carry the
// writer's pid: `model.safetensors.tmp-PID-x`, `checkpoints/.step-N.tmp-PID`,
// `.shards.partial-PID`. A process killed mid-write leaves one behind; the next writer into the
// same folder removes those whose process is gone, and never one a live process may still own.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** `.tmp-PID` or `.partial-PID`, optionally followed by `-suffix`, at the end of a name. */
const TEMPORARY = /\.(?:tmp|partial)-(\d+)(?:-[a-z0-9]+)?$/;

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by another user). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the entries of `dir` named as our temporaries whose writing process has died, and
 * that `belongs` (default: all such names) accepts. Returns the paths removed. A folder that
 * does not exist, or an entry that cannot be removed, is left as it is: this tidies up and
 * must never stop the write that follows.
 */
export function removeStaleTemporaries(dir: string, belongs: (name: string) => boolean = () => true): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match || !belongs(name) || isProcessAlive(Number(match[1]))) continue;
    const path = join(dir, name);
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Left for the next writer (permissions, a busy file on Windows).
    }
  }
  return removed;
}
