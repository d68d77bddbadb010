// A lock per blob, so that two processes (or two calls in one) never download the same file
// at once: an exclusively created file holding the owner's pid. A lock whose owner is gone
// (no such process on this host) or that has not been touched for STALE_MS (an owner on
// another host that died) is taken over. Correctness does not rest on the lock alone: every
// blob still arrives by an atomic rename.
import { mkdir, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';

const STALE_MS = 60_000;
const POLL_MS = 50;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stale(path: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number.parseInt(text, 10);
    if (Date.now() - info.mtimeMs > STALE_MS) return true;
    // An empty file is an owner between create and write: not stale yet.
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
  } catch {
    return false; // gone already: the next create decides
  }
}

export interface HeldLock {
  /** Marks the lock as still in use (a long download calls it as bytes arrive). */
  touch(): void;
  release(): Promise<void>;
}

// Calls in this process wait on each other here: the pid in the file is ours for all of them.
const held = new Map<string, Promise<void>>();

export async function acquireBlobLock(path: string): Promise<HeldLock> {
  while (held.has(path)) await held.get(path);
  let release!: () => void;
  held.set(path, new Promise<void>((resolve) => (release = resolve)));
  try {
    await mkdir(dirname(path), { recursive: true });
    for (;;) {
      try {
        const handle = await open(path, 'wx');
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (await stale(path)) await rm(path, { force: true });
        else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  } catch (err) {
    held.delete(path);
    release();
    throw err;
  }
  let last = Date.now();
  return {
    touch() {
      const now = Date.now();
      if (now - last < STALE_MS / 4) return;
      last = now;
      utimes(path, now / 1000, now / 1000).catch(() => {});
    },
    async release() {
      await rm(path, { force: true });
      held.delete(path);
      release();
    },
  };
}
