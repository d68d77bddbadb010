// Typed access to the plain-JS scripts that find libtorch and build the addon. They are .mjs so
// that npm's install step runs them before any TypeScript is built; setup and doctor reuse them.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { packageRoot } from '../package-root.js';

/** What scripts/find-libtorch.mjs records about the libtorch it chose (also build/libtorch.json). */
export interface LibtorchRecord {
  source: string;
  root: string;
  version: string;
  cuda: boolean;
  cxx11Abi: number;
  libDir: string;
  libraries: string[];
}

export interface FindLibtorchScript {
  findLibtorch(env?: NodeJS.ProcessEnv): LibtorchRecord;
  LibtorchNotFound: new (tried: string[]) => Error;
  cacheDir(env?: NodeJS.ProcessEnv): string;
  cacheVenvPython(env?: NodeJS.ProcessEnv): string;
}

export interface BuildResult {
  ok: boolean;
  ms: number;
  log: string;
  tail: string;
}

export interface BuildAddonScript {
  buildAddon(options: { env?: NodeJS.ProcessEnv; stream?: { isTTY?: boolean; write(text: string): unknown } }): Promise<BuildResult>;
  buildEnvironment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  nodeHeadersDir(): string | undefined;
  parseBuildLine(line: string): { phase: string; done?: number; total?: number } | undefined;
  progressDisplay(stream: { isTTY?: boolean; write(text: string): unknown }): { update(state: { phase?: string; done?: number; total?: number }): void; finish(message: string): void };
}

const script = async <T>(name: string): Promise<T> => (await import(pathToFileURL(join(packageRoot, 'scripts', name)).href)) as T;

export const findLibtorchScript = () => script<FindLibtorchScript>('find-libtorch.mjs');
export const buildAddonScript = () => script<BuildAddonScript>('build-addon.mjs');
