// The environment as huggingface_hub reads it (constants.py, utils/_auth.py), read on every
// call rather than at import so that a process (or a test) can change it between downloads.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const TRUE_VALUES = new Set(['1', 'ON', 'YES', 'TRUE']);

function isTrue(value: string | undefined): boolean {
  return value !== undefined && TRUE_VALUES.has(value.toUpperCase());
}

/** '~/x' as Python's os.path.expanduser writes it (expandvars is left out: shells expand those). */
function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface. */
export function hfHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HOME) return expandHome(env.HF_HOME);
  return join(env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'huggingface');
}

/** HF_HUB_CACHE, else the legacy HUGGINGFACE_HUB_CACHE, else HF_HOME/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  return named ? expandHome(named) : join(hfHome(env), 'hub');
}

/** HF_ENDPOINT without a trailing slash, else https://huggingface.co. */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
}

/** HF_HUB_OFFLINE, or transformers' TRANSFORMERS_OFFLINE, set to 1/ON/YES/TRUE. */
export function hubOffline(env: NodeJS.ProcessEnv = process.env): boolean {
  return isTrue(env.HF_HUB_OFFLINE || env.TRANSFORMERS_OFFLINE);
}

function cleanToken(token: string | undefined): string | undefined {
  const cleaned = token?.replace(/[\r\n]/g, '').trim();
  return cleaned ? cleaned : undefined;
}

/** HF_TOKEN (or the legacy HUGGING_FACE_HUB_TOKEN), else the file at HF_TOKEN_PATH or HF_HOME/token. */
export function hubToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = cleanToken(env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN);
  if (fromEnv) return fromEnv;
  // huggingface_hub sends no implicit token when told not to; an explicit HF_TOKEN still counts.
  if (isTrue(env.HF_HUB_DISABLE_IMPLICIT_TOKEN)) return undefined;
  try {
    return cleanToken(readFileSync(env.HF_TOKEN_PATH ? expandHome(env.HF_TOKEN_PATH) : join(hfHome(env), 'token'), 'utf8'));
  } catch {
    return undefined;
  }
}

function seconds(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return n;
}

/** Seconds to wait for the metadata (HEAD) answer: HF_HUB_ETAG_TIMEOUT, default 10. */
export function etagTimeout(env: NodeJS.ProcessEnv = process.env): number {
  return seconds(env.HF_HUB_ETAG_TIMEOUT, 10, 'HF_HUB_ETAG_TIMEOUT');
}

/** Seconds a download may go without receiving a byte: HF_HUB_DOWNLOAD_TIMEOUT, default 10. */
export function downloadTimeout(env: NodeJS.ProcessEnv = process.env): number {
  return seconds(env.HF_HUB_DOWNLOAD_TIMEOUT, 10, 'HF_HUB_DOWNLOAD_TIMEOUT');
}
