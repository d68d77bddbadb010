// The resolve protocol against a hub-shaped server on 127.0.0.1: the cache layout it leaves
// (checked against the bytes served and huggingface_hub's naming), redirects without
// Authorization, resuming after a dropped connection, errors naming the id, offline use, and
// two processes downloading one blob once.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

import { hub } from '../../lib/index.js';
import { commitOf, gitBlobSha1, sha256, startHubServer, type HubServer } from '../helpers/hub-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const main = commitOf('main');
const old = commitOf('old');
const small = Buffer.from('{"model_type": "bert"}\n');
// Over the server's 10 kB: served through the 302 to the second host.
const big = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251));
const bigOld = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 31) % 253));

let server: HubServer;
let cacheDir: string;
const env = { ...process.env };
t.before(async () => {
  server = await startHubServer({
    'org/repo': { commits: { [main]: { 'config.json': small, 'big.bin': big, 'sub/dir.txt': small }, [old]: { 'config.json': Buffer.from('{}'), 'big.bin': bigOld } }, refs: { main, old } },
    legacy: { commits: { [main]: { 'config.json': small } }, refs: { main } },
    'org/gated': { commits: { [main]: { 'config.json': small } }, refs: { main }, token: 'hf_right' },
  });
});
t.teardown(async () => {
  await server.close();
  process.env = env;
});
t.beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'plm-hub-'));
  process.env = { ...env, HF_ENDPOINT: server.endpoint, HF_HUB_CACHE: cacheDir, HF_TOKEN: 'hf_right' };
  delete process.env.HF_HUB_OFFLINE;
  delete process.env.TRANSFORMERS_OFFLINE;
  server.requests.length = 0;
  server.slowMs = 0;
  server.headDelayMs = 0;
});
t.afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

const repo = (id = 'org/repo') => join(cacheDir, hub.repoFolderName(id));

t.test('a clean cache gets huggingface_hub\'s layout: blobs by etag, relative links from the commit\'s snapshot, refs', async (t) => {
  const dir = await hub.resolveModelDir('org/repo', { files: ['config.json', 'big.bin', 'sub/dir.txt'] });
  t.equal(dir, join(repo(), 'snapshots', main));
  t.equal(readFileSync(join(repo(), 'refs', 'main'), 'utf8'), main, 'refs/main holds the commit, no newline');
  // Small files are named by their git blob sha1 (ETag), large ones by sha256 (X-Linked-Etag, not the 302's ETag).
  t.same(readFileSync(join(repo(), 'blobs', gitBlobSha1(small))), small);
  t.same(readFileSync(join(repo(), 'blobs', sha256(big))), big);
  t.equal(readlinkSync(join(dir, 'big.bin')), `../../blobs/${sha256(big)}`);
  t.equal(readlinkSync(join(dir, 'sub', 'dir.txt')), `../../../blobs/${gitBlobSha1(small)}`);
  t.ok(lstatSync(join(dir, 'config.json')).isSymbolicLink());
  t.same(readFileSync(join(dir, 'big.bin')), big);
  // sub/dir.txt has the same bytes as config.json: one blob, two links.
  t.equal(server.requests.filter((r) => r.method === 'GET' && r.server === 'hub').length, 1, 'the shared blob is downloaded once');
  const cdn = server.requests.filter((r) => r.server === 'cdn');
  t.equal(cdn.length, 1, 'the large file comes from the redirect\'s host');
  t.equal(cdn[0]!.authorization, undefined, 'without the token');
  t.ok(server.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_right'), 'the hub gets the token');
  t.notOk(existsSync(join(repo(), 'blobs', `${sha256(big)}.incomplete`)));

  server.requests.length = 0;
  t.equal(await hub.resolveModelDir('org/repo', { files: ['config.json', 'big.bin'] }), dir);
  t.same(server.requests, [], 'again: a complete cached snapshot makes no request');
  server.requests.length = 0;
  t.equal(await hub.resolveModelDir('org/repo', { files: ['config.json', 'big.bin'], revision: main }), dir);
  t.same(server.requests, [], 'a commit hash with its files cached makes no request');
});

t.test('a revision: a branch name and a commit each resolve to their snapshot', async (t) => {
  const dir = await hub.resolveModelDir('org/repo', { files: ['big.bin'], revision: 'old' });
  t.equal(dir, join(repo(), 'snapshots', old));
  t.same(readFileSync(join(dir, 'big.bin')), bigOld);
  t.equal(readFileSync(join(repo(), 'refs', 'old'), 'utf8'), old);
  t.notOk(existsSync(join(repo(), 'refs', 'main')));
  const byCommit = await hub.resolveModelDir('org/repo', { files: ['config.json'], revision: main });
  t.equal(byCommit, join(repo(), 'snapshots', main));
  t.notOk(existsSync(join(repo(), 'refs', main)), 'a commit hash writes no ref');
  t.ok(server.requests.some((r) => r.path === `/org/repo/resolve/${main}/config.json`));
});

t.test('a legacy id without an org', async (t) => {
  const dir = await hub.resolveModelDir('legacy', { files: ['config.json'] });
  t.equal(dir, join(cacheDir, 'models--legacy', 'snapshots', main));
  t.same(readFileSync(join(dir, 'config.json')), small);
});

t.test('a dropped connection resumes with Range into <etag>.incomplete and ends with the right bytes', async (t) => {
  server.drop('big.bin', 2);
  const dir = await hub.resolveModelDir('org/repo', { files: ['big.bin'] });
  t.same(readFileSync(join(dir, 'big.bin')), big);
  const gets = server.requests.filter((r) => r.server === 'cdn');
  t.same(gets.map((r) => r.range), [undefined, `bytes=${big.length / 2}-`, `bytes=${big.length / 2 + big.length / 4}-`]);
  t.notOk(existsSync(join(repo(), 'blobs', `${sha256(big)}.incomplete`)));
});

t.test('a download that keeps failing leaves its partial file, no snapshot entry, and the next call resumes it', async (t) => {
  server.drop('big.bin', 100);
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['big.bin'] }), { code: 'UNREACHABLE', message: /org\/repo.*bytes received are kept in .*\.incomplete and the next try resumes/s });
  const partial = join(repo(), 'blobs', `${sha256(big)}.incomplete`);
  const kept = readFileSync(partial).length;
  t.ok(kept > 0 && kept < big.length, `${kept} bytes kept`);
  t.same(readFileSync(partial), big.subarray(0, kept), 'what was kept is the file\'s start');
  t.notOk(existsSync(join(repo(), 'snapshots', main, 'big.bin')), 'no half-written file in snapshots');
  server.drop('big.bin', 0);
  server.requests.length = 0;
  const dir = await hub.resolveModelDir('org/repo', { files: ['big.bin'] });
  t.same(readFileSync(join(dir, 'big.bin')), big);
  t.same(server.requests.filter((r) => r.server === 'cdn').map((r) => r.range), [`bytes=${kept}-`]);
});

t.test('a corrupt partial file is caught by the sha256 of an LFS etag and discarded', async (t) => {
  const partial = join(repo(), 'blobs', `${sha256(big)}.incomplete`);
  await hub.resolveModelDir('org/repo', { files: ['config.json'] });
  writeFileSync(partial, Buffer.alloc(100, 9));
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['big.bin'] }), { code: 'BAD_RESPONSE', message: /big\.bin of org\/repo: the download's sha256 .* is not the hub's/ });
  t.notOk(existsSync(partial));
  t.same(readFileSync(join(await hub.resolveModelDir('org/repo', { files: ['big.bin'] }), 'big.bin')), big, 'the next try starts over');
});

t.test('errors name the id and say what fixes them', async (t) => {
  await t.rejects(hub.resolveModelDir('org/nothing', { files: ['config.json'] }), { name: 'HubError', code: 'REPO_NOT_FOUND', message: /repository org\/nothing not found at http:\/\/127\.0\.0\.1:\d+ \(404\)/ });
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json'], revision: 'v9' }), { code: 'REVISION_NOT_FOUND', message: /revision v9 not found in org\/repo/ });
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json', 'missing.txt'] }), { code: 'ENTRY_NOT_FOUND', message: /org\/repo \(revision main, commit [0-9a-f]{12}\) has no missing\.txt/ });
  t.ok(existsSync(join(repo(), '.no_exist', main, 'missing.txt')), 'the 404 is remembered in .no_exist/<commit>/');
  server.requests.length = 0;
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['missing.txt'], revision: main }), { code: 'ENTRY_NOT_FOUND' });
  t.same(server.requests, [], 'a file known missing at a commit costs no request');

  delete process.env.HF_TOKEN;
  process.env.HF_HOME = join(cacheDir, 'home'); // no token file there either
  await t.rejects(hub.resolveModelDir('org/gated', { files: ['config.json'] }), { code: 'GATED', message: /org\/gated is a gated repository \(401\): set HF_TOKEN/ });
  process.env.HF_TOKEN = 'hf_wrong';
  await t.rejects(hub.resolveModelDir('org/gated', { files: ['config.json'] }), { code: 'GATED', message: /org\/gated is a gated repository \(403\): the token sent .* has no access/ });
  delete process.env.HF_TOKEN;
  // The token file under HF_HOME is read as huggingface_hub reads it (whitespace stripped).
  const { mkdirSync } = await import('node:fs');
  mkdirSync(process.env.HF_HOME, { recursive: true });
  writeFileSync(join(process.env.HF_HOME, 'token'), 'hf_right\n');
  t.match(await hub.resolveModelDir('org/gated', { files: ['config.json'] }), /models--org--gated/);

  await t.rejects(hub.resolveModelDir('./not/a/folder'), { message: /model folder \.\/not\/a\/folder does not exist \(and it is not a hub id/ });
  await t.rejects(hub.resolveModelDir('org/repo', { revision: '../x' }), TypeError);
});

t.test('an unreachable or silent endpoint is an error naming the id, or the cache answers', async (t) => {
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  process.env.HF_ENDPOINT = `http://127.0.0.1:${closed}`;
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json'] }), { code: 'UNREACHABLE', message: /asking for file metadata for org\/repo: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*HF_HUB_OFFLINE=1/ });

  process.env.HF_ENDPOINT = server.endpoint;
  server.headDelayMs = 2000;
  process.env.HF_HUB_ETAG_TIMEOUT = '0.3';
  const started = Date.now();
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json'] }), { code: 'TIMEOUT', message: /org\/repo timed out after 0\.3 s/ });
  t.ok(Date.now() - started < 1500, 'gives up at the timeout');
  process.env.HF_HUB_ETAG_TIMEOUT = 'soon';
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json'] }), { message: /HF_HUB_ETAG_TIMEOUT must be a positive number of seconds, got "soon"/ });
  delete process.env.HF_HUB_ETAG_TIMEOUT;
  server.headDelayMs = 0;

  // Cached once, an unreachable hub falls back to the cache.
  const dir = await hub.resolveModelDir('org/repo', { files: ['config.json'] });
  process.env.HF_ENDPOINT = `http://127.0.0.1:${closed}`;
  t.equal(await hub.resolveModelDir('org/repo', { files: ['config.json'] }), dir);
});

t.test('a download that stalls gives up after HF_HUB_DOWNLOAD_TIMEOUT', async (t) => {
  server.slowMs = 800;
  process.env.HF_HUB_DOWNLOAD_TIMEOUT = '0.3';
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['big.bin'] }), { code: 'TIMEOUT', message: /downloading big\.bin for org\/repo timed out after 0\.3 s/ });
  t.notOk(existsSync(join(repo(), 'snapshots', main, 'big.bin')));
});

t.test('offline (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE): the cache alone answers, without a request', async (t) => {
  process.env.HF_HUB_OFFLINE = '1';
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json'] }), { code: 'OFFLINE_NOT_CACHED', message: /org\/repo \(revision main\) is not in the cache at .*HF_HUB_OFFLINE is set/ });
  t.same(server.requests, []);
  delete process.env.HF_HUB_OFFLINE;
  const dir = await hub.resolveModelDir('org/repo', { files: ['config.json'] });
  server.requests.length = 0;
  process.env.TRANSFORMERS_OFFLINE = 'yes';
  t.equal(await hub.resolveModelDir('org/repo', { files: ['config.json'] }), dir);
  await t.rejects(hub.resolveModelDir('org/repo', { files: ['config.json', 'big.bin'] }), { code: 'OFFLINE_NOT_CACHED', message: /only partly in the cache/ });
  t.same(server.requests, [], 'offline makes no request');
});

t.test('a folder of the same name wins over the hub', async (t) => {
  const cwd = process.cwd();
  const work = mkdtempSync(join(tmpdir(), 'plm-hub-cwd-'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(work, 'org', 'repo'), { recursive: true });
  process.chdir(work);
  try {
    t.equal(await hub.resolveModelDir('org/repo'), 'org/repo');
    t.same(server.requests, []);
  } finally {
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
});

t.test('two processes downloading at once write the blob once', async (t) => {
  server.slowMs = 120; // about a second per download, so the two overlap
  const script = join(cacheDir, 'child.mjs');
  const lib = join(here, '../../lib/hub/index.js');
  writeFileSync(script, `import { resolveModelDir } from ${JSON.stringify(lib)};\nconsole.log(await resolveModelDir('org/repo', { files: ['big.bin'] }));\n`);
  const run = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [script], { env: process.env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });
  const [a, b] = await Promise.all([run(), run()]);
  t.equal(a.code, 0, a.err);
  t.equal(b.code, 0, b.err);
  t.equal(a.out, b.out);
  t.same(readFileSync(join(a.out.trim(), 'big.bin')), big);
  const heads = server.requests.filter((r) => r.method === 'HEAD');
  const gets = server.requests.filter((r) => r.server === 'cdn');
  t.equal(heads.length, 2, 'both asked the hub');
  t.equal(gets.length, 1, 'one of them downloaded');
  // The body goes out in 8 pieces slowMs apart: the last one leaves 7 × slowMs after the GET came in.
  t.ok(Math.max(...heads.map((h) => h.time)) < gets[0]!.time + 7 * server.slowMs, 'the second asked while the first was still downloading');
  t.notOk(existsSync(join(cacheDir, '.locks', 'models--org--repo', `${sha256(big)}.plm-torch.lock`)), 'the lock is gone');
});
