// A hub-shaped HTTP server on 127.0.0.1 for tests: the resolve endpoint (HEAD and GET) with
// X-Repo-Commit, ETag (git blob sha1), and for files over `largeOver` bytes a 302 to a second
// loopback host (127.0.0.2, the "CDN") carrying X-Linked-Etag (sha256) and X-Linked-Size;
// Range on both; 401/403 with X-Error-Code GatedRepo for a gated repository without its
// token; 404 with RepoNotFound / RevisionNotFound / EntryNotFound (and X-Repo-Commit); and
// modes that drop a connection halfway through a file or answer slowly.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface HubRepo {
  /** commit hash → file path → bytes. */
  commits: Record<string, Record<string, Buffer>>;
  /** branch or tag → commit hash. */
  refs: Record<string, string>;
  /** Only this token (Bearer) may read the repository. */
  token?: string;
}

export interface LoggedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
  /** When the request came in, and when its answer was fully sent (ms since the epoch). */
  time: number;
  finished?: number;
}

export interface HubServer {
  endpoint: string;
  requests: LoggedRequest[];
  repos: Record<string, HubRepo>;
  /** The next `times` GETs of `file`'s bytes send half of what they should and drop the connection. */
  drop(file: string, times?: number): void;
  /** Every GET body is sent in 8 pieces with this many ms between them. */
  slowMs: number;
  /** HEADs wait this long before answering (for timeouts). */
  headDelayMs: number;
  close(): Promise<void>;
}

export function gitBlobSha1(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fake 40-hex commit hash from a label. */
export function commitOf(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/** Every file of a folder (recursively) as a commit's contents. */
export function folderFiles(dir: string, prefix = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, folderFiles(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path);
  }
  return out;
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as { port: number }).port));
  });
}

export async function startHubServer(repos: Record<string, HubRepo>, options: { largeOver?: number } = {}): Promise<HubServer> {
  const largeOver = options.largeOver ?? 10_000;
  const requests: LoggedRequest[] = [];
  const drops = new Map<string, number>();
  const byHash = new Map<string, { bytes: Buffer; file: string }>();
  const state = { slowMs: 0, headDelayMs: 0 };

  async function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, file: string, headers: Record<string, string>): Promise<void> {
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) start = Number(range[1]);
    if (start > bytes.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
      return;
    }
    const body = bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Length': String(body.length),
      ...(range ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    const left = drops.get(file) ?? 0;
    if (left > 0) {
      drops.set(file, left - 1);
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (state.slowMs > 0) {
      const piece = Math.ceil(body.length / 8);
      for (let i = 0; i < body.length; i += piece) {
        res.write(body.subarray(i, i + piece));
        await new Promise((r) => setTimeout(r, state.slowMs));
      }
      res.end();
      return;
    }
    res.end(body);
  }

  const log = (server: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse) => {
    const entry: LoggedRequest = { server, method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), range: req.headers.range, authorization: req.headers.authorization, time: Date.now() };
    requests.push(entry);
    res.on('finish', () => (entry.finished = Date.now()));
  };

  const cdn = createServer((req, res) => {
    log('cdn', req, res);
    const m = /^\/blobs\/([0-9a-f]{64})$/.exec((req.url ?? '').split('?')[0]!);
    const found = m ? byHash.get(m[1]!) : undefined;
    if (!found) return void res.writeHead(404).end();
    void sendBytes(req, res, found.bytes, found.file, { ETag: `"${m![1]}"` });
  });
  const cdnPort = await listen(cdn, '127.0.0.2');

  const hub = createServer(async (req, res) => {
    log('hub', req, res);
    if (req.method === 'HEAD' && state.headDelayMs > 0) await new Promise((r) => setTimeout(r, state.headDelayMs));
    const url = (req.url ?? '').split('?')[0]!;
    const at = url.indexOf('/resolve/');
    if (at < 0) return void res.writeHead(404).end();
    const id = decodeURIComponent(url.slice(1, at));
    const [rawRevision, ...fileParts] = url.slice(at + '/resolve/'.length).split('/');
    const revision = decodeURIComponent(rawRevision ?? '');
    const file = fileParts.map(decodeURIComponent).join('/');
    const repo = repos[id];
    if (!repo) return void res.writeHead(404, { 'X-Error-Code': 'RepoNotFound', 'X-Error-Message': 'Repository not found' }).end();
    if (repo.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`) {
      const status = req.headers.authorization ? 403 : 401;
      return void res.writeHead(status, { 'X-Error-Code': 'GatedRepo', 'X-Error-Message': 'Access to this repository is restricted' }).end();
    }
    const commit = repo.commits[revision] ? revision : repo.refs[revision];
    if (!commit || !repo.commits[commit]) return void res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound', 'X-Error-Message': 'Invalid rev id' }).end();
    const bytes = repo.commits[commit]![file];
    if (!bytes) return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'X-Error-Message': 'Entry not found', 'X-Repo-Commit': commit }).end();
    if (bytes.length > largeOver) {
      const hash = sha256(bytes);
      byHash.set(hash, { bytes, file });
      return void res
        .writeHead(302, {
          Location: `http://127.0.0.2:${cdnPort}/blobs/${hash}?signed=1`,
          'X-Repo-Commit': commit,
          'X-Linked-Etag': `"${hash}"`,
          'X-Linked-Size': String(bytes.length),
          ETag: '"not-the-blob-etag"',
        })
        .end();
    }
    await sendBytes(req, res, bytes, file, { 'X-Repo-Commit': commit, ETag: `"${gitBlobSha1(bytes)}"` });
  });
  const hubPort = await listen(hub, '127.0.0.1');

  return {
    endpoint: `http://127.0.0.1:${hubPort}`,
    requests,
    repos,
    drop(file, times = 1) {
      drops.set(file, times);
    },
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(ms: number) {
      state.slowMs = ms;
    },
    get headDelayMs() {
      return state.headDelayMs;
    },
    set headDelayMs(ms: number) {
      state.headDelayMs = ms;
    },
    async close() {
      hub.closeAllConnections();
      cdn.closeAllConnections();
      await Promise.all([new Promise((r) => hub.close(r)), new Promise((r) => cdn.close(r))]);
    },
  };
}
