// Loads the addon (prebuilds/ or the local build, through node-gyp-build) and types it.
// Only lib/torch talks to this module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { packageRoot } from './package-root.js';

/** A tensor as the addon knows it: a number naming a slot of its per-thread table. */
export type Handle = number;

/** What an operator call can give back. */
export type NativeValue = Handle | null | undefined | number | boolean | string | NativeValue[];

/** Where one tensor's bytes lie in a file. */
export interface FileSlice {
  offset: number;
  length: number;
  shape: number[];
  dtype: number;
}

export interface RuntimeInfo {
  version: string;
  linkedRoot: string;
  torchCpuLibrary: string;
  c10Library: string;
  cudaCompiled: boolean;
  cudaAvailable: boolean;
  cudaDeviceCount: number;
  threads: number;
  interopThreads: number;
  config: string;
  parallel: string;
  cxxAbi: string;
  /** glibc malloc tuned for training (see native/torch/allocator_tuning.h). */
  mallocTuned: boolean;
}

export interface NativeBinding {
  setErrorClass(ctor: new (message: string, code: string) => Error): void;
  dtypeCodes(): Record<string, number>;
  findOp(name: string, overload: string): number;
  callOp(op: number, ...args: unknown[]): NativeValue;
  opSchema(op: number): string;
  fromBuffer(
    data: ArrayBufferView,
    shape: readonly number[],
    sourceDtype: number,
    dtype: number,
    device: string | undefined,
    requiresGrad: boolean,
  ): Handle;
  toBuffer(handle: Handle, readDtype?: number): ArrayBuffer;
  /** A 0-dim tensor of value as PyTorch makes one of a Python scalar (a wrapped number); floating: an integral number is a float. */
  wrappedScalar(value: number | boolean | bigint, device?: string, floating?: boolean): Handle;
  dispose(handle: Handle): void;
  isDisposed(handle: Handle): boolean;
  /** 0: claimed for a new Tensor; 1: a Tensor owns it already; 2: no live tensor has it. */
  claimHandle(handle: unknown): 0 | 1 | 2;
  memory(): { tensors: number; bytes: number };
  shape(handle: Handle): number[];
  dtype(handle: Handle): number;
  device(handle: Handle): string;
  numel(handle: Handle): number;
  dim(handle: Handle): number;
  item(handle: Handle): number | boolean;
  requiresGrad(handle: Handle): boolean;
  setRequiresGrad(handle: Handle, requiresGrad: boolean): void;
  isLeaf(handle: Handle): boolean;
  grad(handle: Handle): Handle | null;
  setGrad(handle: Handle, grad: Handle | null): void;
  retainGrad(handle: Handle): void;
  gradFn(handle: Handle): string | null;
  isContiguous(handle: Handle): boolean;
  setData(handle: Handle, source: Handle): void;
  backward(tensors: Handle[], grads: (Handle | null)[], retainGraph: boolean | undefined, createGraph: boolean): void;
  autogradGrad(
    outputs: Handle[],
    inputs: Handle[],
    gradOutputs: (Handle | null)[],
    retainGraph: boolean | undefined,
    createGraph: boolean,
    allowUnused: boolean,
  ): (Handle | null)[];
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;
  manualSeed(seed: number): void;
  getNumThreads(): number;
  setNumThreads(threads: number): void;
  cudaIsAvailable(): boolean;
  cudaDeviceCount(): number;
  cudaSynchronize(device?: number): void;
  runtime(): RuntimeInfo;
  matmulGflops(dtype: string, device: string, n: number, seconds: number): number;
  setAutocast(device: 'cpu' | 'cuda', enabled: boolean, dtype: number): [boolean, number];
  getRngState(): Handle;
  setRngState(state: Handle): void;
  adamwStep(
    params: Handle[],
    grads: Handle[],
    expAvgs: Handle[],
    expAvgSqs: Handle[],
    maxExpAvgSqs: Handle[],
    steps: number[],
    options: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean },
  ): void;
  sgdStep(
    params: Handle[],
    grads: Handle[],
    momentumBuffers: (Handle | null)[],
    options: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean },
  ): (Handle | null)[];
  lambStep(
    params: Handle[],
    grads: Handle[],
    expAvgs: Handle[],
    expAvgSqs: Handle[],
    steps: number[],
    options: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; biasCorrection: boolean; gradScale: number; trustRatio: boolean },
  ): void;
  totalNorm(grads: Handle[], normType: number): number;
  clipGradNorm(grads: Handle[], maxNorm: number, normType: number, errorIfNonfinite: boolean): number;
  readTensors(path: string, slices: FileSlice[]): Handle[];
  readTensorsAsync(path: string, slices: FileSlice[]): Promise<Handle[]>;
  writeTensors(path: string, header: Buffer, tensors: Handle[]): void;
  writeTensorsAsync(path: string, header: Buffer, tensors: Handle[]): Promise<void>;
  loadPickle(path: string): [string[], Handle[]];
  fastDropout(input: Handle, p: number, train: boolean): Handle;
  distInit(options: { rank: number; worldSize: number; masterAddr: string; masterPort: number; timeoutMs: number }): number;
  distAllReduce(group: number, tensors: Handle[], op: string): void;
  distBroadcast(group: number, tensors: Handle[], root: number): void;
  distAllGather(group: number, tensor: Handle): Handle[];
  distBarrier(group: number): void;
  distShutdown(group: number): void;
  ddpCreate(group: number, params: Handle[], bucketBytes: number): number;
  ddpArm(ddp: number, armed: boolean): void;
  ddpInfo(ddp: number): { bytesPerStep: number; reductions: number; buckets: number[][] };
  ddpDestroy(ddp: number): void;
}

export { packageRoot };

/** The addon could not be loaded: not built, or the libtorch it was built against moved or changed. */
export class AddonLoadError extends Error {
  readonly code = 'PLM_TORCH_NO_ADDON';
  constructor(message: string) {
    super(message);
    this.name = 'AddonLoadError';
  }
}

const FIX = 'Run `npx plm-torch setup`: it finds (or installs) torch and builds the addon against it.';

/** The libtorch folder the addon was built against, as the build recorded it. */
function builtAgainst(): string | undefined {
  const record = join(packageRoot, 'build/libtorch.json');
  try {
    return (JSON.parse(readFileSync(record, 'utf8')) as { libDir?: string }).libDir;
  } catch {
    return undefined;
  }
}

/** Turns the loader's or the dynamic linker's message into what happened and what to run. */
export function explainLoadFailure(reason: string, libDir = builtAgainst()): string {
  const missing = /([\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(reason);
  if (missing) {
    return `plm-torch: the libtorch its addon was built against is gone: ${missing[1]} cannot be found${libDir ? ` (it was in ${libDir})` : ''}.\n${FIX}`;
  }
  const symbol = /undefined symbol: (\S+)/.exec(reason);
  if (symbol) {
    return `plm-torch: the libtorch${libDir ? ` in ${libDir}` : ''} changed since the addon was built against it (undefined symbol ${symbol[1]}).\n${FIX}`;
  }
  if (/No native build was found/.test(reason)) {
    return `plm-torch: the native addon is not built (no libtorch was found when plm-torch was installed, or its build failed).\n${FIX}`;
  }
  return `plm-torch: the native addon could not be loaded (${reason}).\n${FIX}`;
}

function load(): NativeBinding {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(packageRoot) as NativeBinding;
  } catch (err) {
    throw new AddonLoadError(explainLoadFailure(err instanceof Error ? err.message : String(err)));
  }
}

export const native: NativeBinding = load();
