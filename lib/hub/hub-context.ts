// Everything a download needs to know, gathered once per resolveModelDir call from the
// environment (and the options that override it).
import { downloadTimeout, etagTimeout, hubCacheDir, hubEndpoint, hubOffline, hubToken } from './hub-env.js';
import { RepoCache } from './cache-paths.js';

/** One file's download progress: bytes so far of total (null when the hub did not say). */
export interface DownloadProgress {
  id: string;
  file: string;
  bytes: number;
  total: number | null;
  /** true on the last event for the file. */
  done: boolean;
}

export interface HubOptions {
  /** A branch, tag or commit hash; default 'main'. */
  revision?: string;
  /** The cache folder; default HF_HUB_CACHE, HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub. */
  cacheDir?: string;
  /** The hub; default HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** A token; default HF_TOKEN, else the token file. */
  token?: string;
  /** Use the cache only; default HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE). */
  offline?: boolean;
  /** Called as bytes arrive, for a progress bar (only for files actually downloaded). */
  onProgress?: (progress: DownloadProgress) => void;
}

export interface HubContext {
  id: string;
  revision: string;
  cache: RepoCache;
  endpoint: string;
  token: string | undefined;
  offline: boolean;
  etagTimeoutMs: number;
  downloadTimeoutMs: number;
  headers: Record<string, string>;
  onProgress: ((progress: DownloadProgress) => void) | undefined;
  /** Set while a blob's lock is held: keeps it from looking stale during a long download. */
  lockTouch?: () => void;
}

export function hubContext(id: string, options: HubOptions = {}): HubContext {
  const revision = options.revision ?? 'main';
  if (typeof revision !== 'string' || revision === '' || revision.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new TypeError(`revision must be a branch, tag or commit hash, got ${JSON.stringify(revision)}`);
  }
  const token = options.token ?? hubToken();
  return {
    id,
    revision,
    cache: new RepoCache(options.cacheDir ?? hubCacheDir(), id),
    endpoint: (options.endpoint ?? hubEndpoint()).replace(/\/+$/, ''),
    token,
    offline: options.offline ?? hubOffline(),
    etagTimeoutMs: etagTimeout() * 1000,
    downloadTimeoutMs: downloadTimeout() * 1000,
    headers: { 'User-Agent': 'plm-torch', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    onProgress: options.onProgress,
  };
}

/** huggingface_hub's hf_hub_url: revision quoted whole (refs/pr/1 → refs%2Fpr%2F1), the file path by segment. */
export function resolveUrl(ctx: HubContext, revision: string, file: string): string {
  return `${ctx.endpoint}/${ctx.id}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}
