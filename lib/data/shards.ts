// Token shards: a corpus tokenised once into binary files of token ids (uint16 where the
// vocabulary allows, else uint32) with an index of documents and sentences. Readers fetch a
// document's bytes by position and never load a shard whole. manifest.json is written last,
// and the folder is written under a temporary name and renamed, so a half-written folder is
// never taken for a finished one.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { emptyStats, readDocuments, type CorpusOptions, type CorpusStats } from './corpus.js';
import type { Tokenizer } from './tokenizer.js';
import { readJsonObject } from '../io/json-file.js';
import { removeStaleTemporaries } from '../io/stale-temporaries.js';
import { describeValue } from '../torch/describe.js';

export const MANIFEST = 'manifest.json';

export interface ShardInfo {
  tokens: string;
  index: string;
  tokenCount: number;
  sentenceCount: number;
  documentCount: number;
}

export interface Manifest {
  format: 'plm-torch-shards';
  version: 1;
  dtype: 'uint16' | 'uint32';
  vocabSize: number;
  shards: ShardInfo[];
  documents: number;
  sentences: number;
  tokens: number;
  corpus: CorpusStats;
  /** Sentences dropped because they tokenised to nothing. */
  emptySentences: number;
  seconds: number;
}

export interface PrepareOptions extends CorpusOptions {
  /** Tokens per shard before a new one starts (default 50 million). */
  shardTokens?: number;
  /** Sentences tokenised per batch (default 8192). */
  batchSize?: number;
  onProgress?: (progress: { bytes: number; documents: number; tokens: number }) => void;
}

class ShardWriter {
  readonly #dir: string;
  readonly #dtype: 'uint16' | 'uint32';
  readonly shards: ShardInfo[] = [];
  #fd = -1;
  #tokens = 0;
  #sentenceStarts: number[] = [];
  #documentStarts: number[] = [];

  constructor(dir: string, dtype: 'uint16' | 'uint32') {
    this.#dir = dir;
    this.#dtype = dtype;
  }

  get currentTokens(): number {
    return this.#fd < 0 ? 0 : this.#tokens;
  }

  #open(): void {
    const n = String(this.shards.length).padStart(5, '0');
    this.#fd = openSync(join(this.#dir, `shard-${n}.tokens`), 'w');
    this.#tokens = 0;
    this.#sentenceStarts = [];
    this.#documentStarts = [];
  }

  /** One document: its sentences as token ids. */
  writeDocument(sentences: number[][]): void {
    if (this.#fd < 0) this.#open();
    this.#documentStarts.push(this.#sentenceStarts.length);
    const total = sentences.reduce((n, s) => n + s.length, 0);
    const data = this.#dtype === 'uint16' ? new Uint16Array(total) : new Uint32Array(total);
    let offset = 0;
    for (const s of sentences) {
      this.#sentenceStarts.push(this.#tokens + offset);
      data.set(s, offset);
      offset += s.length;
    }
    writeSync(this.#fd, new Uint8Array(data.buffer));
    this.#tokens += total;
  }

  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    const n = String(this.shards.length).padStart(5, '0');
    // Index: [sentenceCount, documentCount, ...sentence starts, end, ...document starts], uint32
    const index = new Uint32Array(2 + this.#sentenceStarts.length + 1 + this.#documentStarts.length);
    index[0] = this.#sentenceStarts.length;
    index[1] = this.#documentStarts.length;
    index.set(this.#sentenceStarts, 2);
    index[2 + this.#sentenceStarts.length] = this.#tokens;
    index.set(this.#documentStarts, 3 + this.#sentenceStarts.length);
    writeFileSync(join(this.#dir, `shard-${n}.index`), new Uint8Array(index.buffer));
    this.shards.push({ tokens: `shard-${n}.tokens`, index: `shard-${n}.index`, tokenCount: this.#tokens, sentenceCount: this.#sentenceStarts.length, documentCount: this.#documentStarts.length });
    this.#fd = -1;
  }
}

/** Tokenises a corpus into shards under `out`; returns the manifest it wrote. */
export async function prepareShards(files: readonly string[], tokenizer: Tokenizer, out: string, options: PrepareOptions = {}): Promise<Manifest> {
  const started = Date.now();
  const shardTokens = options.shardTokens ?? 50_000_000;
  const batchSize = options.batchSize ?? 8192;
  if (!(shardTokens > 0) || shardTokens > 2 ** 31) throw new RangeError(`shardTokens must be in (0, 2^31], got ${describeValue(shardTokens)}`);
  const dtype = tokenizer.vocabSize <= 65536 ? 'uint16' : 'uint32';
  if (existsSync(join(out, MANIFEST))) throw new Error(`${out} already holds prepared shards; remove it or choose another folder`);
  const work = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  // Those of earlier runs into the same OUT that were killed part way.
  removeStaleTemporaries(dirname(out), (name) => name.startsWith(`.${basename(out)}.partial-`));
  mkdirSync(work, { recursive: true });
  const writer = new ShardWriter(work, dtype);
  const stats = emptyStats();
  let documents = 0;
  let sentences = 0;
  let tokens = 0;
  let emptySentences = 0;
  let pending: string[][] = [];
  let pendingLines = 0;

  const flush = async () => {
    const lines = pending.flat();
    const encoded = await tokenizer.encodeIds(lines, { addSpecialTokens: false });
    let k = 0;
    for (const doc of pending) {
      const ids = doc.map(() => encoded[k++]!).filter((s) => {
        if (s.length === 0) emptySentences++;
        return s.length > 0;
      });
      if (ids.length === 0) continue;
      if (writer.currentTokens >= shardTokens) writer.close();
      writer.writeDocument(ids);
      documents++;
      sentences += ids.length;
      tokens += ids.reduce((n, s) => n + s.length, 0);
    }
    pending = [];
    pendingLines = 0;
    options.onProgress?.({ bytes: stats.bytes, documents, tokens });
  };

  try {
    for await (const doc of readDocuments(files, options, stats)) {
      pending.push(doc);
      pendingLines += doc.length;
      if (pendingLines >= batchSize) await flush();
    }
    if (pending.length) await flush();
    writer.close();
    if (documents === 0) throw new Error(`the corpus (${files.join(', ')}) holds no text: nothing to prepare`);
    const manifest: Manifest = {
      format: 'plm-torch-shards', version: 1, dtype, vocabSize: tokenizer.vocabSize, shards: writer.shards,
      documents, sentences, tokens, corpus: stats, emptySentences, seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(dirname(out), { recursive: true });
    renameSync(work, out);
    return manifest;
  } catch (err) {
    writer.close();
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

/** Random access to prepared shards: documents as arrays of sentences of token ids. */
export class ShardedCorpus {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly #fds: number[] = [];
  readonly #sentenceStarts: Uint32Array[] = [];
  readonly #documentStarts: Uint32Array[] = [];
  readonly #firstDocument: number[] = [];

  constructor(dir: string) {
    const path = join(dir, MANIFEST);
    if (!existsSync(path)) {
      throw new Error(`${dir} holds no finished shards (no ${MANIFEST}): run \`plm-torch data prepare\` again`);
    }
    this.dir = dir;
    this.manifest = readJsonObject(path, 'shard manifest') as unknown as Manifest;
    if (this.manifest.format !== 'plm-torch-shards' || this.manifest.version !== 1) throw new Error(`${path} is not a plm-torch shard manifest of version 1`);
    let first = 0;
    for (const shard of this.manifest.shards) {
      const raw = readFileSync(join(dir, shard.index));
      if (raw.byteLength % 4 !== 0) throw new Error(`${join(dir, shard.index)} is damaged (its size is not a multiple of 4)`);
      const index = new Uint32Array(new Uint8Array(raw).buffer);
      const sentenceCount = index[0]!;
      const documentCount = index[1]!;
      if (sentenceCount !== shard.sentenceCount || documentCount !== shard.documentCount || index.length !== 3 + sentenceCount + documentCount) {
        throw new Error(`${join(dir, shard.index)} does not match the manifest (a damaged or foreign index)`);
      }
      this.#sentenceStarts.push(index.subarray(2, 3 + sentenceCount));
      this.#documentStarts.push(index.subarray(3 + sentenceCount));
      this.#firstDocument.push(first);
      first += documentCount;
      this.#fds.push(openSync(join(dir, shard.tokens), 'r'));
    }
  }

  get documentCount(): number {
    return this.manifest.documents;
  }

  /** Document i (0-based over all shards) as its sentences' token ids. */
  document(i: number): number[][] {
    if (!Number.isInteger(i) || i < 0 || i >= this.documentCount) throw new RangeError(`document ${i} is out of range (0..${this.documentCount - 1})`);
    let shard = this.#firstDocument.length - 1;
    while (this.#firstDocument[shard]! > i) shard--;
    const local = i - this.#firstDocument[shard]!;
    const docs = this.#documentStarts[shard]!;
    const starts = this.#sentenceStarts[shard]!;
    const firstSentence = docs[local]!;
    const endSentence = local + 1 < docs.length ? docs[local + 1]! : starts.length - 1;
    const from = starts[firstSentence]!;
    const to = starts[endSentence]!;
    const width = this.manifest.dtype === 'uint16' ? 2 : 4;
    const bytes = Buffer.alloc((to - from) * width);
    readSync(this.#fds[shard]!, bytes, 0, bytes.length, from * width);
    const ids = width === 2 ? new Uint16Array(bytes.buffer, bytes.byteOffset, to - from) : new Uint32Array(bytes.buffer, bytes.byteOffset, to - from);
    const sentences: number[][] = [];
    for (let s = firstSentence; s < endSentence; s++) sentences.push(Array.from(ids.subarray(starts[s]! - from, starts[s + 1]! - from)));
    return sentences;
  }

  close(): void {
    for (const fd of this.#fds.splice(0)) closeSync(fd);
  }
}
