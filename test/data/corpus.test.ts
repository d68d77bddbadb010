// Corpus lines read as bytes: CRLF and LF endings, gzip, and a line longer than V8's string
// limit, which is skipped and counted before it becomes a string (readline died on it with an
// error no try/catch around the loop could catch).
import t from 'tap';
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';

import { data } from '../../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-corpus-'));

async function collect(files: string[], options: data.CorpusOptions = {}) {
  const stats = data.emptyStats();
  const docs: string[][] = [];
  for await (const d of data.readDocuments(files, options, stats)) docs.push(d);
  return { docs, stats };
}

t.test('LF, CRLF, no final newline, gzip and UTF-8 split across chunks read as lines', async (t) => {
  writeFileSync(join(dir, 'crlf.txt'), 'one\r\ntwo\r\n\r\nthree');
  const { docs, stats } = await collect([join(dir, 'crlf.txt')]);
  t.same(docs, [['one', 'two'], ['three']]);
  t.equal(stats.lines, 4);
  t.equal(stats.bytes, 'one\r\ntwo\r\n\r\nthree'.length + 1);
  // Multi-byte characters straddling the 64 KiB read chunks decode whole.
  const long = '語'.repeat(40_000); // 120,000 bytes
  writeFileSync(join(dir, 'cjk.txt.gz'), gzipSync(`${long}\n\n${long}\n`));
  const cjk = await collect([join(dir, 'cjk.txt.gz')]);
  t.same(cjk.docs.map((d) => d.map((l) => l.length)), [[40_000], [40_000]]);
  t.same(cjk.stats.skipped, { tooLong: 0, invalidJson: 0, notText: 0, invalidUtf8: 0 });
  const limited = await collect([join(dir, 'cjk.txt.gz')], { maxLineLength: 39_999 });
  t.same(limited.docs, [], 'characters are counted, not bytes');
  t.equal(limited.stats.skipped.tooLong, 2);
});

t.test('a line longer than V8 strings can be is skipped by byte count, with bounded memory', async (t) => {
  const path = join(dir, 'huge.txt');
  const fd = openSync(path, 'w');
  writeSync(fd, 'before\n\n');
  const block = Buffer.alloc(1 << 20, 0x61);
  for (let i = 0; i < 540; i++) writeSync(fd, block); // 566 MB in one line, past 2^29 - 24 characters
  writeSync(fd, '\n\nafter\n');
  closeSync(fd);
  const lib = new URL('../../lib/index.js', import.meta.url).href;
  const code = `const { data } = await import(${JSON.stringify(lib)});
const stats = data.emptyStats(); const docs = []; let peak = 0;
for await (const d of data.readDocuments([${JSON.stringify(path)}], {}, stats)) { docs.push(d); peak = Math.max(peak, process.memoryUsage().rss); }
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ docs, tooLong: stats.skipped.tooLong, lines: stats.lines, peakMb: peak / 2 ** 20 }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  t.equal(child.status, 0, child.stderr.slice(0, 500));
  const r = JSON.parse(child.stdout) as { docs: string[][]; tooLong: number; lines: number; peakMb: number };
  t.same(r.docs, [['before'], ['after']]);
  t.equal(r.tooLong, 1);
  t.equal(r.lines, 5);
  t.ok(r.peakMb < 400, `peak RSS ${r.peakMb.toFixed(0)} MB while skipping a 566 MB line`);
});
