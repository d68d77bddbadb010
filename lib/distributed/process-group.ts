// A c10d process group (TCPStore rendezvous, Gloo collectives) from torchrun's environment or
// explicit options. Collectives work in place on CPU tensors and wait at most `timeout`, so a
// rank that dies or hangs becomes an error on the others instead of a hang.
import { native } from '../native.js';
import { tensor } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import { Tensor } from '../torch/tensor.js';

export interface ProcessGroupOptions {
  /** This process's rank (default: $RANK). */
  rank?: number;
  /** Number of processes (default: $WORLD_SIZE). */
  worldSize?: number;
  /** Rank 0's address for the rendezvous (default: $MASTER_ADDR, else 127.0.0.1). */
  masterAddr?: string;
  /** Rank 0's port for the rendezvous (default: $MASTER_PORT, else 29500). */
  masterPort?: number;
  /** Longest wait for the rendezvous and for any collective, in milliseconds (default 5 minutes). */
  timeoutMs?: number;
}

export type ReduceOp = 'sum' | 'avg' | 'max' | 'min' | 'product';

function fromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`$${name} must be a non-negative integer, got '${value}'`);
  return n;
}

/** torchrun's variables: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT. */
export function environment(): { rank?: number; worldSize?: number; localRank?: number; masterAddr?: string; masterPort?: number } {
  return { rank: fromEnv('RANK'), worldSize: fromEnv('WORLD_SIZE'), localRank: fromEnv('LOCAL_RANK'), masterAddr: process.env.MASTER_ADDR || undefined, masterPort: fromEnv('MASTER_PORT') };
}

/** True when this process is one rank of a multi-process run (torchrun's variables are set). */
export function isRankProcess(): boolean {
  const env = environment();
  return env.rank !== undefined && (env.worldSize ?? 1) > 1;
}

export class ProcessGroup {
  readonly rank: number;
  readonly worldSize: number;
  readonly masterAddr: string;
  readonly masterPort: number;
  readonly timeoutMs: number;
  /** @internal */
  readonly id: number;
  #destroyed = false;

  constructor(options: ProcessGroupOptions = {}) {
    const env = environment();
    this.rank = options.rank ?? env.rank ?? 0;
    this.worldSize = options.worldSize ?? env.worldSize ?? 1;
    this.masterAddr = options.masterAddr ?? env.masterAddr ?? '127.0.0.1';
    this.masterPort = options.masterPort ?? env.masterPort ?? 29500;
    this.timeoutMs = options.timeoutMs ?? 300_000;
    if (!Number.isInteger(this.worldSize) || this.worldSize < 1) throw new RangeError(`worldSize must be a positive integer, got ${describeValue(this.worldSize)}`);
    if (!Number.isInteger(this.rank) || this.rank < 0 || this.rank >= this.worldSize) throw new RangeError(`rank must be an integer in [0, ${this.worldSize}), got ${describeValue(this.rank)}`);
    if (!Number.isInteger(this.masterPort) || this.masterPort < 1 || this.masterPort > 65535) throw new RangeError(`masterPort must be a port number (1-65535), got ${describeValue(this.masterPort)}`);
    if (!(Number.isInteger(this.timeoutMs) && this.timeoutMs >= 1 && this.timeoutMs <= 2 ** 31 - 1)) {
      throw new RangeError(`timeoutMs must be a whole number of milliseconds from 1 to ${2 ** 31 - 1} (24.8 days), got ${describeValue(this.timeoutMs)}`);
    }
    this.id = native.distInit({ rank: this.rank, worldSize: this.worldSize, masterAddr: this.masterAddr, masterPort: this.masterPort, timeoutMs: this.timeoutMs });
  }

  #live(what: string): number {
    if (this.#destroyed) throw new Error(`${what}(): the process group was destroyed`);
    return this.id;
  }

  /**
   * Checks that every rank passes the same number, dtypes and shapes of tensors (and the same
   * op or root) before the collective itself. Gloo meeting different sizes aborts the process
   * from its own thread, and some mismatches would pass silently; this costs one collective
   * of three numbers, and a mismatch becomes an error on every rank.
   */
  #agree(what: string, tensors: readonly Tensor[], setting: string): void {
    const id = this.#live(what);
    if (this.worldSize === 1) return;
    const described = tensors.map((t) => `${t.dtype}[${t.shape.join(', ')}]`);
    const numel = tensors.reduce((n, t) => n + t.numel(), 0);
    const mine = tensor([tensors.length, numel, fnv1a(`${setting}|${described.join(';')}`)], { dtype: 'int64' });
    const all = native.distAllGather(id, mine.handle).map((h) => new Tensor(h));
    const rows = all.map((t) => t.toArray() as number[]);
    for (const t of [mine, ...all]) t.dispose();
    if (rows.every((r) => r[0] === rows[0]![0] && r[1] === rows[0]![1] && r[2] === rows[0]![2])) return;
    const ranks = rows.map((r, rank) => `rank ${rank}: ${r[0]} tensor(s), ${r[1]} elements`).join('; ');
    throw new Error(`${what}(): the ranks passed different tensors or ${setting.split('=')[0]} (${ranks}; this rank, ${this.rank}: ${setting}, ${described.join(', ')})`);
  }

  /** Reduces each tensor across the ranks, in place ('avg' is the sum divided by worldSize). */
  allReduce(tensors: Tensor | readonly Tensor[], op: ReduceOp = 'sum'): void {
    const list = Array.isArray(tensors) ? tensors : [tensors as Tensor];
    this.#agree('allReduce', list, `op=${op}`);
    native.distAllReduce(this.id, list.map((t: Tensor) => t.handle), op);
  }

  /** Copies root's tensors into every rank's, in place. */
  broadcast(tensors: Tensor | readonly Tensor[], root = 0): void {
    const list = Array.isArray(tensors) ? tensors : [tensors as Tensor];
    this.#agree('broadcast', list, `root=${root}`);
    native.distBroadcast(this.id, list.map((t: Tensor) => t.handle), root);
  }

  /** Every rank's `tensor`, in rank order (the same dtype and shape on every rank). */
  allGather(tensor: Tensor): Tensor[] {
    this.#agree('allGather', [tensor], 'gather=all');
    return native.distAllGather(this.id, tensor.handle).map((h) => new Tensor(h));
  }

  /** Returns once every rank has called it. */
  barrier(): void {
    native.distBarrier(this.#live('barrier'));
  }

  /** Leaves the group (the others' next collective fails fast). Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    native.distShutdown(this.id);
  }
}

/** Joins the process group described by `options` or torchrun's environment. */
export function initProcessGroup(options: ProcessGroupOptions = {}): ProcessGroup {
  return new ProcessGroup(options);
}

/** FNV-1a of a string, 32 bits: a short fingerprint that int64 carries exactly. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
