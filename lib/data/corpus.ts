// Reading corpora as streams, never whole: plain text (one sentence or paragraph a line,
// documents separated by blank lines) and JSONL with a text field, either gzip'd, from
// several files and globs. Bad lines are counted and reported, not fatal.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { globSync } from 'tinyglobby';
import { expectArray } from '../torch/arrays.js';

export interface CorpusOptions {
  /** The JSONL field holding the text (default 'text'). */
  textField?: string;
  /**
   * Lines longer than this many characters are skipped and counted (default 1,000,000). A
   * line past 4 bytes a character is skipped as bytes, before it becomes a string: a 600 MB
   * line costs no more memory than a long one.
   */
  maxLineLength?: number;
}

export interface CorpusStats {
  files: number;
  lines: number;
  documents: number;
  bytes: number;
  skipped: { tooLong: number; invalidJson: number; notText: number; invalidUtf8: number };
}

/** Expands globs and checks each file exists; an empty result is an error naming the patterns. */
export function resolveCorpusFiles(patterns: readonly string[]): string[] {
  expectArray(patterns, 'corpus files');
  if (patterns.length === 0) throw new Error('no corpus files given');
  const files: string[] = [];
  for (const pattern of patterns) {
    if (/[*?[\]{}]/.test(pattern)) {
      const matched = globSync(pattern, { absolute: true, onlyFiles: true }).sort();
      if (matched.length === 0) throw new Error(`no files match ${pattern}`);
      files.push(...matched);
    } else {
      if (!existsSync(pattern)) throw new Error(`corpus file ${pattern} does not exist`);
      if (!statSync(pattern).isFile()) throw new Error(`corpus path ${pattern} is not a file`);
      files.push(pattern);
    }
  }
  return [...new Set(files)];
}

function open(path: string): Readable {
  const stream = createReadStream(path);
  return path.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
}

const isJsonl = (path: string) => /\.jsonl?(\.gz)?$/.test(path);

interface RawLine {
  /** The line without its '\n' or '\r\n', or null when it had more than maxBytes bytes. */
  text: string | null;
  bytes: number;
}

/**
 * The lines of a byte stream, split on '\n' (a '\r' before it is dropped) as bytes, so a
 * line is decoded only when it is at most maxBytes long. readline cannot do this: it makes
 * every line a string first, and one past V8's string limit throws from inside its stream,
 * where no try/catch around the loop can catch it.
 */
async function* rawLines(input: Readable, maxBytes: number): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8');
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  const finish = (): RawLine => {
    let text: string | null = null;
    if (!tooLong) {
      let line = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      text = decoder.decode(line);
    }
    const out = { text, bytes: length };
    parts = [];
    length = 0;
    tooLong = false;
    return out;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    while (start <= chunk.length) {
      const end = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, end < 0 ? chunk.length : end);
      length += piece.length;
      if (!tooLong && length > maxBytes) {
        tooLong = true;
        parts = [];
      }
      if (!tooLong && piece.length > 0) parts.push(piece);
      if (end < 0) break;
      yield finish();
      start = end + 1;
    }
  }
  if (length > 0) yield finish();
}

/**
 * Documents, each an array of lines, from every file in turn. Text files: a blank line ends a
 * document. JSONL: each line is one document, split into lines at newlines inside the text.
 */
export async function* readDocuments(patterns: readonly string[], options: CorpusOptions = {}, stats?: CorpusStats): AsyncGenerator<string[]> {
  const files = resolveCorpusFiles(patterns);
  const field = options.textField ?? 'text';
  const maxLength = options.maxLineLength ?? 1_000_000;
  const s = stats ?? emptyStats();
  s.files += files.length;
  for (const file of files) {
    let document: string[] = [];
    for await (const { text: raw, bytes } of rawLines(open(file), 4 * maxLength)) {
      s.lines++;
      s.bytes += bytes + 1;
      if (raw === null || raw.length > maxLength) {
        s.skipped.tooLong++;
        continue;
      }
      if (raw.includes('\uFFFD')) {
        // Bytes that were not UTF-8 decode to U+FFFD: such a line is not text we can trust.
        s.skipped.invalidUtf8++;
        continue;
      }
      if (isJsonl(file)) {
        if (raw.trim() === '') continue;
        let record: unknown;
        try {
          record = JSON.parse(raw);
        } catch {
          s.skipped.invalidJson++;
          continue;
        }
        const text = (record as Record<string, unknown> | null)?.[field];
        if (typeof text !== 'string') {
          s.skipped.notText++;
          continue;
        }
        const docLines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
        if (docLines.length) {
          s.documents++;
          yield docLines;
        }
        continue;
      }
      const line = raw.trim();
      if (line === '') {
        if (document.length) {
          s.documents++;
          yield document;
        }
        document = [];
      } else document.push(line);
    }
    if (document.length) {
      s.documents++;
      yield document;
    }
  }
}

/** Every non-empty line (sentence or paragraph) of the corpus, in order. */
export async function* readLines(patterns: readonly string[], options: CorpusOptions = {}, stats?: CorpusStats): AsyncGenerator<string> {
  for await (const document of readDocuments(patterns, options, stats)) yield* document;
}

export function emptyStats(): CorpusStats {
  return { files: 0, lines: 0, documents: 0, bytes: 0, skipped: { tooLong: 0, invalidJson: 0, notText: 0, invalidUtf8: 0 } };
}
