// Reading corpora as streams, never whole: plain text (one sentence or paragraph a line,
// documents separated by blank lines) and JSONL with a text field, either gzip'd, from
// several files and globs. Bad lines are counted and reported, not fatal.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { globSync } from 'tinyglobby';

export interface CorpusOptions {
  /** The JSONL field holding the text (default 'text'). */
  textField?: string;
  /** Lines longer than this many characters are skipped and counted (default 1,000,000). */
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
  if (!Array.isArray(patterns) || patterns.length === 0) throw new Error('no corpus files given');
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
    const lines = createInterface({ input: open(file), crlfDelay: Infinity });
    let document: string[] = [];
    for await (const raw of lines) {
      s.lines++;
      s.bytes += Buffer.byteLength(raw) + 1;
      if (raw.length > maxLength) {
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
