#!/usr/bin/env node
// Rebuilds the demo corpora in data/ from three Debian packages (see data/README.md):
//   general/webster-1913.txt.gz  general English: senses of Webster's Revised Unabridged (1913)
//   domain/jargon-file.txt.gz    the computing domain: the Jargon File 4.4.7
//   domain/foldoc.txt.gz         the computing domain: FOLDOC entries outside the task's eval split
//   task/train.jsonl, task/eval.jsonl  FOLDOC entries labelled with their subject
// Usage: node data/extract.mjs [--debs DIR]   (DIR holds the .deb files; else apt-get download)
// The output is deterministic for the same package versions.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGES = ['dict-gcide', 'dict-jargon', 'dict-foldoc'];
/** FOLDOC subjects of the task: the six largest whose entries carry that one subject alone. */
export const LABELS = ['programming language', 'networking', 'programming', 'operating system', 'hardware', 'mathematics'];
const LABEL_TAGS = { language: 'programming language', networking: 'networking', programming: 'programming', 'operating system': 'operating system', hardware: 'hardware', mathematics: 'mathematics' };
const GENERAL_BYTES = 3_500_000;
const FOLDOC_DOMAIN_BYTES = 2_000_000;
const EVAL_SHARE = 0.2;
const TASK_WORDS = 64;

const { values } = parseArgs({ options: { debs: { type: 'string' } } });
const work = mkdtempSync(join(tmpdir(), 'plm-torch-data-'));
const debs = values.debs ?? work;
if (!values.debs) execFileSync('apt-get', ['download', ...PACKAGES], { cwd: work, stdio: 'inherit' });

const sources = [];
const dicts = {};
for (const name of PACKAGES) {
  const deb = readdirSync(debs).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`no ${name}_*.deb in ${debs}`);
  const path = join(debs, deb);
  const root = join(work, name);
  execFileSync('dpkg-deb', ['-x', path, root]);
  const version = execFileSync('dpkg-deb', ['-f', path, 'Version'], { encoding: 'utf8' }).trim();
  sources.push({ package: name, version, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
  const base = name.replace(/^dict-/, '');
  dicts[base] = readDictd(join(root, 'usr/share/dictd', `${base}.index`), join(root, 'usr/share/dictd', `${base}.dict.dz`));
}

/** dictd's database: an index of (headword, base64 offset, base64 length) into a gzip'd text. */
function readDictd(indexPath, dictPath) {
  const text = gunzipSync(readFileSync(dictPath));
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const decode = (s) => [...s].reduce((n, c) => n * 64 + digits.indexOf(c), 0);
  const seen = new Set();
  const entries = [];
  for (const line of readFileSync(indexPath, 'utf8').split('\n')) {
    const [word, offset, length] = line.split('\t');
    if (!length || word.startsWith('00-database') || word.startsWith('00database')) continue;
    const start = decode(offset);
    if (seen.has(start)) continue; // several headwords share one entry
    seen.add(start);
    entries.push({ word, start, body: text.subarray(start, start + decode(length)).toString('utf8') });
  }
  return entries.sort((a, b) => a.start - b.start);
}

const squash = (s) => s.replace(/\s+/g, ' ').trim();
const unbrace = (s) => s.replace(/[{}]/g, '');

/** Webster 1913: keep only the passages GCIDE marks "[1913 Webster]" (public domain), cleaned. */
function websterDocument(body) {
  const lines = [];
  for (const passage of body.split(/\[1913 Webster\]/).slice(0, -1)) {
    // A passage that also holds another source's marker mixes in later text: drop it.
    if (/\[(PJC|WordNet[^\]]*|Webster 1913 Suppl\.|Century Dict\.|[A-Z]{2,4})\]/.test(passage)) continue;
    let s = passage
      .replace(/\\[^\\\n]*\\/g, '') // the headword's syllables
      .replace(/\s*\([^()]*(?:\[[^\]\s]{1,3}\]|")[^()]*\)/g, ''); // pronunciations: ([a^]b"[.a]*k[.a])
    // Etymologies, [Obs.], [R.] (innermost first: they nest).
    for (let before = ''; before !== s; ) {
      before = s;
      s = s.replace(/\[[^[\]]*\]/g, '');
    }
    s = s
      .replace(/--\s*[A-Z][^\n]{0,40}$/gm, '') // quotation credits "--Bacon."
      .replace(/\s\?(?=[\s,;.:)])/g, ''); // Greek the dictionary could not render
    s = squash(unbrace(s)).replace(/^\d+\.\s*/, '').replace(/\s+([,;.])/g, '$1').replace(/^,\s*/, '');
    if (s.length >= 20 && !s.includes('?')) lines.push(s);
  }
  return lines;
}

/** A Jargon File entry as paragraphs. */
function jargonDocument(entry) {
  const [head, ...rest] = entry.body.split('\n');
  const paragraphs = rest.join('\n').split(/\n\s*\n/).map((p) => squash(unbrace(p))).filter((p) => p.length > 0 && !/^\/\/?$/.test(p));
  const pronunciation = paragraphs[0]?.startsWith('/') ? paragraphs.shift() : null;
  if (paragraphs.length === 0) return [];
  void pronunciation;
  return [`${squash(head)}: ${paragraphs[0]}`, ...paragraphs.slice(1)];
}

/** A FOLDOC entry: its subject tags and its definition paragraphs (dates and source notes dropped). */
function foldocEntry(entry) {
  const [head, ...rest] = entry.body.split('\n');
  const paragraphs = rest
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => squash(p))
    .filter((p) => p.length > 0 && !/^\(\d{4}-\d{2}-\d{2}\)$/.test(p) && !/^\[[^\]]*\]$/.test(p));
  if (paragraphs.length === 0) return null;
  const tags = /^<([^>]+)>\s*/.exec(paragraphs[0]);
  if (tags) paragraphs[0] = paragraphs[0].slice(tags[0].length);
  const text = paragraphs.map(unbrace).filter((p) => p.length > 0);
  // Entries that only point elsewhere ("{object request broker}") carry no definition.
  if (text.length === 0 || (text.length === 1 && /^\{[^}]*\}$/.test(paragraphs[0]) )) return null;
  return { word: squash(head), subjects: tags ? tags[1].split(',').map((t) => t.trim()) : [], text };
}

/** A fixed shuffle (sfc32-free: a hash of the key) so the split depends on nothing but the entries. */
const rank = (key) => createHash('sha256').update(key).digest().readUInt32BE(0);

const gz = (lines) => gzipSync(Buffer.from(lines.join('\n') + '\n'), { level: 9 });
const documentsText = (docs) => docs.map((d) => d.join('\n')).join('\n\n').split('\n');

// General English: every k-th headword entry, so all letters of the alphabet are in.
const webster = dicts.gcide.map((e) => websterDocument(e.body)).filter((d) => d.length > 0);
const websterBytes = webster.reduce((n, d) => n + d.join('\n').length + 2, 0);
const stride = Math.max(1, Math.ceil(websterBytes / GENERAL_BYTES));
const general = webster.filter((_, i) => i % stride === 0);

const jargon = dicts.jargon.map(jargonDocument).filter((d) => d.length > 0);

// The task: FOLDOC entries with exactly one subject among the labels. An entry whose opening
// words appear elsewhere in FOLDOC or in the Jargon File (FOLDOC copied many) is left out,
// so that no eval text can reach the adapted model through the domain corpus.
const foldoc = dicts.foldoc.map(foldocEntry).filter((e) => e !== null);
const opening = (e) => squash(e.text.join(' ')).slice(0, 60);
const foldocText = squash(foldoc.map((e) => e.text.join(' ')).join(' '));
const occurrences = (text, part) => {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) n++;
  return n;
};
const jargonText = squash(jargon.map((d) => d.join(' ')).join(' '));
const task = foldoc
  .filter((e) => e.subjects.length === 1 && e.subjects[0] in LABEL_TAGS)
  .filter((e) => occurrences(foldocText, opening(e)) === 1 && !jargonText.includes(opening(e)))
  .map((e) => {
    const words = `${e.word}: ${e.text.join(' ')}`.split(' ');
    return { text: words.slice(0, TASK_WORDS).join(' '), label: LABEL_TAGS[e.subjects[0]], word: e.word };
  });
const byLabel = new Map(LABELS.map((l) => [l, task.filter((r) => r.label === l).sort((a, b) => rank(a.word) - rank(b.word))]));
const train = [];
const evaluation = [];
for (const records of byLabel.values()) {
  const cut = Math.round(records.length * EVAL_SHARE);
  evaluation.push(...records.slice(0, cut));
  train.push(...records.slice(cut));
}
train.sort((a, b) => rank(`t${a.word}`) - rank(`t${b.word}`));
evaluation.sort((a, b) => rank(`e${a.word}`) - rank(`e${b.word}`));

// Domain text from FOLDOC: never an eval entry (the adapted model must not have read the test).
const heldOut = new Set(evaluation.map((r) => r.word));
const trainWords = new Set(train.map((r) => r.word));
const domainFoldoc = [];
let bytes = 0;
for (const e of [...foldoc].sort((a, b) => Number(trainWords.has(b.word)) - Number(trainWords.has(a.word)) || rank(a.word) - rank(b.word))) {
  if (heldOut.has(e.word) || bytes > FOLDOC_DOMAIN_BYTES) continue;
  const doc = [`${e.word}: ${e.text[0]}`, ...e.text.slice(1)];
  domainFoldoc.push({ start: dicts.foldoc.length, doc });
  bytes += doc.join('\n').length + 2;
}

for (const dir of ['general', 'domain', 'task']) mkdirSync(join(here, dir), { recursive: true });
writeFileSync(join(here, 'general/webster-1913.txt.gz'), gz(documentsText(general)));
writeFileSync(join(here, 'domain/jargon-file.txt.gz'), gz(documentsText(jargon)));
writeFileSync(join(here, 'domain/foldoc.txt.gz'), gz(documentsText(domainFoldoc.map((d) => d.doc))));
const jsonl = (records) => records.map(({ text, label }) => JSON.stringify({ text, label })).join('\n') + '\n';
writeFileSync(join(here, 'task/train.jsonl'), jsonl(train));
writeFileSync(join(here, 'task/eval.jsonl'), jsonl(evaluation));
const counts = Object.fromEntries(LABELS.map((l) => [l, { train: train.filter((r) => r.label === l).length, eval: evaluation.filter((r) => r.label === l).length }]));
const summary = {
  sources,
  general: { documents: general.length, lines: general.reduce((n, d) => n + d.length, 0), stride },
  domain: { jargonFile: jargon.length, foldoc: domainFoldoc.length },
  task: { labels: counts, train: train.length, eval: evaluation.length, wordsPerRecord: TASK_WORDS },
};
writeFileSync(join(here, 'SOURCES.json'), `${JSON.stringify(summary, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(summary, null, 2));
