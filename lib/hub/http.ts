// The two requests of the resolve protocol over Node's fetch: HEAD for a file's metadata and
// GET (with Range) for its bytes. Redirects are followed by hand: on the same host with every
// header, to another host (a CDN or storage bucket for large files) without Authorization, as
// huggingface_hub does, so a token never leaves the hub.
import { HubError } from './errors.js';

const MAX_REDIRECTS = 10;

export interface FileMetadata {
  /** X-Repo-Commit: the commit the revision resolved to. */
  commit: string | null;
  /** X-Linked-Etag, else ETag, without W/ and quotes: the blob's name. */
  etag: string | null;
  /** X-Linked-Size, else Content-Length when not redirected. */
  size: number | null;
  /** Where to GET the bytes (the redirect target for large files). */
  location: string;
  /** Whether location is on another host (Authorization must not be sent there). */
  otherHost: boolean;
}

export interface RequestContext {
  id: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** As huggingface_hub's _normalize_etag: W/"x" and "x" both give x. */
export function normalizeEtag(etag: string | null): string | null {
  if (etag === null) return null;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function sizeHeader(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/** A fetch failure as the HubError a user can act on. */
export function networkError(err: unknown, url: string, ctx: { id: string; timeoutMs: number }, what: string): HubError {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new HubError('TIMEOUT', `${what} for ${ctx.id} timed out after ${ctx.timeoutMs / 1000} s at ${new URL(url).origin} (HF_HUB_ETAG_TIMEOUT / HF_HUB_DOWNLOAD_TIMEOUT raise the limits; HF_HUB_OFFLINE=1 uses the cache only)`, ctx.id, { cause: err });
  }
  const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
  return new HubError('UNREACHABLE', `${what} for ${ctx.id}: cannot reach ${new URL(url).origin} (${reason}); check HF_ENDPOINT and the network, or set HF_HUB_OFFLINE=1 to use the cache only`, ctx.id, { cause: err });
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'authorization') out[k] = v;
  return out;
}

/**
 * HEAD a resolve URL. Returns the final answer (a success, or a redirect to another host,
 * whose headers carry the metadata) and never throws for an HTTP status: the caller maps it.
 */
export async function headFile(url: string, ctx: RequestContext): Promise<{ response: Response; metadata: FileMetadata }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await fetch(current, { method: 'HEAD', redirect: 'manual', headers: { ...ctx.headers, 'Accept-Encoding': 'identity' }, signal: AbortSignal.timeout(ctx.timeoutMs) });
    } catch (err) {
      throw networkError(err, current, ctx, 'asking for file metadata');
    }
    const location = response.headers.get('location');
    const redirect = response.status >= 300 && response.status < 400 && location !== null;
    if (redirect) {
      const target = new URL(location, current);
      if (target.host === new URL(current).host) {
        current = target.href;
        continue;
      }
    }
    const headers = response.headers;
    return {
      response,
      metadata: {
        commit: headers.get('x-repo-commit'),
        etag: normalizeEtag(headers.get('x-linked-etag') ?? headers.get('etag')),
        size: sizeHeader(headers.get('x-linked-size')) ?? (redirect ? null : sizeHeader(headers.get('content-length'))),
        location: redirect ? new URL(location, current).href : current,
        otherHost: redirect,
      },
    };
  }
  throw new HubError('BAD_RESPONSE', `more than ${MAX_REDIRECTS} redirects for ${url}`, ctx.id);
}

/**
 * GET url from byte `start` on (a Range request when start > 0), following redirects by hand,
 * Authorization dropped once the host changes. The caller reads the body; `idle` aborts it
 * when no byte has arrived for timeoutMs.
 */
export async function getFile(url: string, start: number, ctx: RequestContext & { dropAuthorization: boolean }): Promise<{ response: Response; controller: AbortController }> {
  let current = url;
  let headers = ctx.dropAuthorization ? withoutAuthorization(ctx.headers) : { ...ctx.headers };
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('no answer', 'TimeoutError')), ctx.timeoutMs);
    let response: Response;
    try {
      response = await fetch(current, {
        redirect: 'manual',
        headers: { ...headers, 'Accept-Encoding': 'identity', ...(start > 0 ? { Range: `bytes=${start}-` } : {}) },
        signal: controller.signal,
      });
    } catch (err) {
      throw networkError(controller.signal.aborted ? controller.signal.reason : err, current, ctx, 'downloading a file');
    } finally {
      clearTimeout(timer);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      const target = new URL(location, current);
      if (target.host !== new URL(current).host) headers = withoutAuthorization(headers);
      current = target.href;
      await response.body?.cancel();
      continue;
    }
    return { response, controller };
  }
  throw new HubError('BAD_RESPONSE', `more than ${MAX_REDIRECTS} redirects for ${url}`, ctx.id);
}
