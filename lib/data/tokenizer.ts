// Tokenizers of every kind on Hugging Face's `tokenizers` (Rust, prebuilt in the npm package):
// any tokenizer.json (WordPiece, byte-level BPE, Unigram/SentencePiece) with its normaliser,
// pre-tokenizer and post-processor template, the special tokens tokenizer_config.json names,
// or a BERT vocab.txt; encode texts and pairs with offsets and word ids, and save a folder that
// transformers' AutoTokenizer loads with the same ids.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

import type * as TokenizersModule from 'tokenizers';
import { cachedModelDirSync, resolveModelDir } from '../hub/snapshot.js';
import type { HubOptions } from '../hub/hub-context.js';
import { parseHubId } from '../hub/hub-id.js';
import { readJsonObject } from '../io/json-file.js';
import { removeStaleTemporaries } from '../io/stale-temporaries.js';
import { describeValue } from '../torch/describe.js';
import { expectArray } from '../torch/arrays.js';

const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof TokenizersModule;
type NativeTokenizer = TokenizersModule.Tokenizer;

/** BERT's special tokens, which fromVocab and the WordPiece trainer use. */
export const SPECIAL_TOKENS = { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' } as const;

/** The special tokens a tokenizer has, by role, as tokenizer_config.json names them; null where it has none. */
export interface SpecialTokens {
  cls: string | null;
  sep: string | null;
  pad: string | null;
  mask: string | null;
  unk: string | null;
  bos: string | null;
  eos: string | null;
}
type Role = keyof SpecialTokens;
const ROLES: readonly Role[] = ['cls', 'sep', 'pad', 'mask', 'unk', 'bos', 'eos'];

// When a folder names no special tokens (a bare tokenizer.json), the usual spellings, in order.
const USUAL_SPELLINGS: Record<Role, readonly string[]> = {
  cls: ['[CLS]', '<s>', '<cls>'],
  sep: ['[SEP]', '</s>', '<sep>'],
  pad: ['[PAD]', '<pad>'],
  mask: ['[MASK]', '<mask>'],
  unk: ['[UNK]', '<unk>'],
  bos: ['<s>', '[CLS]'],
  eos: ['</s>', '[SEP]'],
};

// The special tokens transformers' tokenizer classes have when their config does not name them
// (bert-base-uncased's tokenizer_config.json holds only do_lower_case).
const BERT_DEFAULTS: Partial<SpecialTokens> = { cls: '[CLS]', sep: '[SEP]', pad: '[PAD]', mask: '[MASK]', unk: '[UNK]' };
const ROBERTA_DEFAULTS: Partial<SpecialTokens> = { cls: '<s>', sep: '</s>', pad: '<pad>', mask: '<mask>', unk: '<unk>', bos: '<s>', eos: '</s>' };
const CLASS_DEFAULTS: Record<string, Partial<SpecialTokens>> = {
  '': BERT_DEFAULTS, // no tokenizer_class: transformers' BERT-era folders
  BertTokenizer: BERT_DEFAULTS,
  DistilBertTokenizer: BERT_DEFAULTS,
  ElectraTokenizer: BERT_DEFAULTS,
  RobertaTokenizer: ROBERTA_DEFAULTS,
  XLMRobertaTokenizer: ROBERTA_DEFAULTS,
  CamembertTokenizer: ROBERTA_DEFAULTS,
  DebertaV2Tokenizer: { ...BERT_DEFAULTS, bos: '[CLS]', eos: '[SEP]' },
};

/** A token as tokenizer_config.json writes it: a string, or an AddedToken object with its content. */
function tokenContent(value: unknown): string | null | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  if (value === null) return null;
  return undefined;
}

export interface Encoding {
  ids: number[];
  typeIds: number[];
  attentionMask: number[];
  specialTokensMask: number[];
  tokens: string[];
  /** Character offsets [start, end) into the text each token came from. */
  offsets: [number, number][];
  /** Index of the word each token belongs to (null for special tokens). */
  wordIds: (number | null)[];
}

export interface EncodeOptions {
  /** Truncate to this many tokens, special tokens included (the longest sequence first). */
  maxLength?: number;
  addSpecialTokens?: boolean;
}

export interface BertTokenizerOptions {
  lowercase?: boolean;
  /** Defaults to lowercase, as BERT's uncased models do. */
  stripAccents?: boolean;
  handleChineseChars?: boolean;
  modelMaxLength?: number;
}

function toEncoding(e: TokenizersModule.Encoding): Encoding {
  return {
    ids: e.getIds(),
    typeIds: e.getTypeIds(),
    attentionMask: e.getAttentionMask(),
    specialTokensMask: e.getSpecialTokensMask(),
    tokens: e.getTokens(),
    offsets: e.getOffsets() as [number, number][],
    wordIds: e.getWordIds().map((w) => (w === undefined ? null : w)),
  };
}

export class Tokenizer {
  readonly #tokenizer: NativeTokenizer;
  // Truncation is a setting of a tokenizer instance in the tokenizers library; one copy per
  // length keeps concurrent encodes with different lengths apart.
  readonly #truncating = new Map<number, NativeTokenizer>();
  readonly lowercase: boolean;
  readonly modelMaxLength: number;
  /** The special tokens by role (cls, sep, pad, mask, unk, bos, eos). */
  readonly specialTokens: Readonly<SpecialTokens>;
  /** The tokenizer class transformers should load the saved folder with ('BertTokenizer', 'RobertaTokenizer', ...). */
  readonly tokenizerClass: string;

  private constructor(tokenizer: NativeTokenizer, options: { lowercase: boolean; modelMaxLength: number; specialTokens: SpecialTokens; tokenizerClass: string }) {
    if (!(tokenizer instanceof tokenizers.Tokenizer)) throw new TypeError('Tokenizer: make one with AutoTokenizer.fromPretrained(), Tokenizer.fromFile(), BertTokenizer.fromVocab() or fromVocabFile()');
    this.#tokenizer = tokenizer;
    this.lowercase = options.lowercase;
    this.modelMaxLength = options.modelMaxLength;
    for (const role of ROLES) {
      const token = options.specialTokens[role];
      if (token !== null && tokenizer.tokenToId(token) === null) throw new Error(`the vocabulary has no ${token} token (the ${role} token the tokenizer config names)`);
    }
    this.specialTokens = Object.freeze({ ...options.specialTokens });
    this.tokenizerClass = options.tokenizerClass;
  }

  /** A tokenizer from the text of a tokenizer.json (what the trainers build), with its special tokens named. */
  static fromJSONText(text: string, options: { lowercase: boolean; modelMaxLength: number; specialTokens: SpecialTokens; tokenizerClass: string }): Tokenizer {
    let native: NativeTokenizer;
    try {
      native = tokenizers.Tokenizer.fromString(text);
    } catch (err) {
      throw new Error(`not a tokenizer.json the tokenizers library can read: ${(err as Error).message}`);
    }
    return new Tokenizer(native, options);
  }

  /** The special tokens a vocabulary holds in their usual spellings, for tokenizers whose folder names none. */
  static #usualSpecialTokens(tokenizer: NativeTokenizer): SpecialTokens {
    const found = {} as SpecialTokens;
    for (const role of ROLES) found[role] = USUAL_SPELLINGS[role].find((t) => tokenizer.tokenToId(t) !== null) ?? null;
    return found;
  }

  /** A BERT tokenizer over a vocabulary (tokens in id order), with BERT's normaliser, pre-tokenizer and [CLS]/[SEP] template. */
  static fromVocab(vocab: readonly string[], options: BertTokenizerOptions = {}): Tokenizer {
    // No prototype: tokens such as 'constructor' or '__proto__' are ordinary keys.
    expectArray<string>(vocab, 'BertTokenizer.fromVocab(): vocab');
    const map = Object.create(null) as Record<string, number>;
    vocab.forEach((token, id) => {
      if (token in map) throw new Error(`the vocabulary lists ${JSON.stringify(token)} twice (ids ${map[token]} and ${id})`);
      map[token] = id;
    });
    const lowercase = options.lowercase ?? true;
    const tokenizer = new tokenizers.Tokenizer(tokenizers.WordPiece.init(map, { unkToken: SPECIAL_TOKENS.unk, continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 }));
    tokenizer.setNormalizer(tokenizers.bertNormalizer({ cleanText: true, handleChineseChars: options.handleChineseChars ?? true, stripAccents: options.stripAccents ?? lowercase, lowercase }));
    tokenizer.setPreTokenizer(tokenizers.bertPreTokenizer());
    for (const token of Object.values(SPECIAL_TOKENS)) if (!(token in map)) throw new Error(`the vocabulary has no ${token} token`);
    tokenizer.setPostProcessor(tokenizers.bertProcessing([SPECIAL_TOKENS.sep, map[SPECIAL_TOKENS.sep]!], [SPECIAL_TOKENS.cls, map[SPECIAL_TOKENS.cls]!]));
    tokenizer.setDecoder(tokenizers.wordPieceDecoder('##', true));
    tokenizer.addSpecialTokens(Object.values(SPECIAL_TOKENS));
    return new Tokenizer(tokenizer, { lowercase, modelMaxLength: options.modelMaxLength ?? 512, specialTokens: BERT_SPECIALS, tokenizerClass: 'BertTokenizer' });
  }

  /** A vocab.txt: one token a line, the line number its id. */
  static fromVocabFile(path: string, options: BertTokenizerOptions = {}): Tokenizer {
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) throw new Error(`${path} is an empty vocabulary`);
    return Tokenizer.fromVocab(lines.map((l) => l.replace(/\r$/, '')), options);
  }

  /**
   * A tokenizer.json as the tokenizers library writes it, of any model (WordPiece, BPE,
   * Unigram); the special tokens as given, else found by their usual spellings.
   */
  static fromFile(
    path: string,
    options: Pick<BertTokenizerOptions, 'modelMaxLength'> & { lowercase?: boolean; specialTokens?: Partial<SpecialTokens>; tokenizerClass?: string } = {},
  ): Tokenizer {
    if (!existsSync(path)) throw new Error(`${path}: no such file`);
    let tokenizer: NativeTokenizer;
    try {
      tokenizer = tokenizers.Tokenizer.fromFile(path);
    } catch (err) {
      throw new Error(`${path} is not a tokenizer.json the tokenizers library can read: ${(err as Error).message}`);
    }
    const json = readJsonObject(path, 'tokenizer file') as { normalizer?: { lowercase?: boolean } | null; model?: { type?: string } };
    const wordPiece = json.model?.type === 'WordPiece';
    const specialTokens = { ...Tokenizer.#usualSpecialTokens(tokenizer), ...options.specialTokens };
    return new Tokenizer(tokenizer, {
      lowercase: options.lowercase ?? json.normalizer?.lowercase ?? wordPiece,
      modelMaxLength: options.modelMaxLength ?? 512,
      specialTokens,
      tokenizerClass: options.tokenizerClass ?? (wordPiece ? 'BertTokenizer' : 'PreTrainedTokenizerFast'),
    });
  }

  /**
   * A model folder, of any family: tokenizer.json if present, with the special tokens that
   * tokenizer_config.json and special_tokens_map.json name; else a BERT vocab.txt with
   * tokenizer_config.json's normalisation (do_lower_case, strip_accents,
   * tokenize_chinese_chars), as transformers reads them. A hub id loads from its cached
   * snapshot without a request (this is synchronous); AutoTokenizer.fromPretrainedAsync
   * downloads one first.
   */
  static fromPretrained(idOrDir: string, options: Pick<HubOptions, 'revision' | 'cacheDir'> = {}): Tokenizer {
    if (typeof idOrDir !== 'string' || idOrDir === '') throw new TypeError(`Tokenizer.fromPretrained(): expected a tokenizer folder, got ${describeValue(idOrDir)}`);
    const dir = cachedModelDirSync(idOrDir, { ...options, files: 'tokenizer' }) ?? idOrDir;
    if (!existsSync(dir)) {
      if (parseHubId(dir) === null) throw new Error(`tokenizer folder ${dir} does not exist`);
      throw new Error(`tokenizer folder ${dir} does not exist, and hub id ${dir} has no tokenizer in the cache: await AutoTokenizer.fromPretrainedAsync('${dir}') downloads it`);
    }
    const configPath = join(dir, 'tokenizer_config.json');
    const config = existsSync(configPath)
      ? (readJsonObject(configPath, 'tokenizer config') as { do_lower_case?: boolean; strip_accents?: boolean | null; tokenize_chinese_chars?: boolean; model_max_length?: number; tokenizer_class?: string } & Record<string, unknown>)
      : {};
    const mapPath = join(dir, 'special_tokens_map.json');
    const map = existsSync(mapPath) ? readJsonObject(mapPath, 'special tokens map') : {};
    const modelMaxLength = typeof config.model_max_length === 'number' && config.model_max_length < 1e9 ? config.model_max_length : 512;
    if (existsSync(join(dir, 'tokenizer.json'))) {
      // A folder with a tokenizer config names its special tokens (null or unnamed: the role has
      // none, as transformers reads it); only a bare tokenizer.json falls back to the usual spellings.
      const named = existsSync(configPath) || existsSync(mapPath);
      const specialTokens: Partial<SpecialTokens> = {};
      for (const role of ROLES) {
        const key = `${role}_token`;
        const token = key in config ? tokenContent(config[key]) : tokenContent(map[key]);
        if (token !== undefined) specialTokens[role] = token;
        else if (named) specialTokens[role] = CLASS_DEFAULTS[String(config.tokenizer_class ?? '').replace(/Fast$/, '')]?.[role] ?? null;
      }
      return Tokenizer.fromFile(join(dir, 'tokenizer.json'), {
        modelMaxLength,
        lowercase: config.do_lower_case,
        specialTokens,
        ...(typeof config.tokenizer_class === 'string' ? { tokenizerClass: config.tokenizer_class.replace(/Fast$/, '') } : {}),
      });
    }
    if (existsSync(join(dir, 'vocab.txt'))) {
      return Tokenizer.fromVocabFile(join(dir, 'vocab.txt'), {
        lowercase: config.do_lower_case ?? true,
        // null (transformers' default) means: strip accents exactly when lowercasing.
        ...(typeof config.strip_accents === 'boolean' ? { stripAccents: config.strip_accents } : {}),
        ...(typeof config.tokenize_chinese_chars === 'boolean' ? { handleChineseChars: config.tokenize_chinese_chars } : {}),
        modelMaxLength,
      });
    }
    const sentencePiece = ['spm.model', 'sentencepiece.bpe.model', 'tokenizer.model'].find((name) => existsSync(join(dir, name)));
    if (sentencePiece) {
      throw new Error(
        `tokenizer folder ${dir} has only a SentencePiece model (${sentencePiece}), which plm-torch reads as tokenizer.json: ` +
          `convert it once in Python (AutoTokenizer.from_pretrained(dir).save_pretrained(dir) writes tokenizer.json), or take the folder from the Hub, which has one`,
      );
    }
    throw new Error(`tokenizer folder ${dir} has neither tokenizer.json nor vocab.txt`);
  }

  get vocabSize(): number {
    return this.#tokenizer.getVocabSize(true);
  }

  tokenToId(token: string): number | null {
    return this.#tokenizer.tokenToId(token);
  }

  idToToken(id: number): string | null {
    return this.#tokenizer.idToToken(id);
  }

  /** The id of a role's special token, or an error naming what the tokenizer lacks. */
  #specialId(role: Role, why: string): number {
    const token = this.specialTokens[role];
    if (token === null) throw new Error(`the tokenizer has no ${role} token, which ${why} needs`);
    return this.tokenToId(token)!;
  }

  get padId(): number {
    return this.#specialId('pad', 'padding a batch');
  }

  /** The token that opens a sequence: [CLS] in BERT, <s> (bos) in RoBERTa. */
  get clsId(): number {
    return this.specialTokens.cls !== null ? this.#specialId('cls', '') : this.#specialId('bos', 'a sequence start');
  }

  /** The token that closes a segment: [SEP] in BERT, </s> (eos) in RoBERTa. */
  get sepId(): number {
    return this.specialTokens.sep !== null ? this.#specialId('sep', '') : this.#specialId('eos', 'a segment end');
  }

  get maskId(): number {
    return this.#specialId('mask', 'masked language modelling');
  }

  /** The mask token as texts write it: '[MASK]' or '<mask>'. */
  get maskToken(): string {
    this.#specialId('mask', 'filling masks');
    return this.specialTokens.mask!;
  }

  get unkId(): number {
    return this.#specialId('unk', 'unknown tokens');
  }

  /** The ids of every special token, for collators that must never mask them. */
  get specialIds(): number[] {
    const ids = new Set<number>();
    for (const role of ROLES) {
      const token = this.specialTokens[role];
      if (token !== null) ids.add(this.tokenToId(token)!);
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Tokens in id order, as vocab.txt lists them. */
  vocabulary(): string[] {
    const vocab = this.#tokenizer.getVocab(true);
    const out: string[] = new Array(Object.keys(vocab).length);
    for (const [token, id] of Object.entries(vocab)) out[id] = token;
    return out;
  }

  /** One text, or a pair (segment A, segment B) with [CLS] A [SEP] B [SEP] and token types 0/1. */
  async encode(text: string, pair?: string | null, options: EncodeOptions = {}): Promise<Encoding> {
    if (typeof text !== 'string') throw new TypeError(`encode(): text must be a string, got ${typeof text}`);
    if (pair !== undefined && pair !== null && typeof pair !== 'string') throw new TypeError(`encode(): pair must be a string, got ${typeof pair}`);
    const tokenizer = options.maxLength === undefined ? this.#tokenizer : this.#truncatingTo(options.maxLength);
    return toEncoding(await tokenizer.encode(text, pair ?? null, { addSpecialTokens: options.addSpecialTokens ?? true }));
  }

  /** A copy of the tokenizer that truncates 'longest first' to maxLength, as transformers does. */
  #truncatingTo(maxLength: number): NativeTokenizer {
    if (!Number.isInteger(maxLength) || maxLength < 4) throw new RangeError(`maxLength must be an integer of at least 4 (room for [CLS] and two [SEP]), got ${describeValue(maxLength)}`);
    let copy = this.#truncating.get(maxLength);
    if (!copy) {
      const tmp = join(tmpdir(), `plm-torch-tokenizer-${process.pid}-${maxLength}.json`);
      this.#tokenizer.save(tmp, false);
      try {
        copy = tokenizers.Tokenizer.fromFile(tmp);
      } finally {
        rmSync(tmp, { force: true });
      }
      copy.setTruncation(maxLength, { strategy: tokenizers.TruncationStrategy.LongestFirst });
      this.#truncating.set(maxLength, copy);
    }
    return copy;
  }

  /** Many texts or pairs at once (the Rust side works in parallel). */
  async encodeBatch(inputs: readonly (string | readonly [string, string])[], options: EncodeOptions = {}): Promise<Encoding[]> {
    expectArray(inputs, 'encodeBatch(): inputs (an array of texts or [text, pair] arrays)');
    return Promise.all(inputs.map((input) => (typeof input === 'string' ? this.encode(input, null, options) : this.encode(input[0], input[1], options))));
  }

  /**
   * Only the ids of many single texts, in one call into the library's parallel batch encoder:
   * the fast path for tokenising a corpus.
   */
  async encodeIds(texts: readonly string[], options: { addSpecialTokens?: boolean } = {}): Promise<number[][]> {
    expectArray(texts, 'encodeIds(): texts');
    if (texts.some((x) => typeof x !== 'string')) throw new TypeError('encodeIds(): texts must be an array of strings');
    if (texts.length === 0) return [];
    const encodings = await this.#tokenizer.encodeBatch([...texts], { addSpecialTokens: options.addSpecialTokens ?? true });
    return encodings.map((e) => e.getIds());
  }

  async decode(ids: readonly number[], skipSpecialTokens = true): Promise<string> {
    expectArray(ids, 'decode(): ids');
    return this.#tokenizer.decode([...ids], skipSpecialTokens);
  }

  /** Adds whole-word tokens (domain vocabulary); returns how many were new. */
  addTokens(tokens: readonly string[]): number {
    expectArray(tokens, 'addTokens(): tokens');
    if (tokens.some((x) => typeof x !== 'string')) throw new TypeError('addTokens(): tokens must be strings');
    const fresh = [...new Set(tokens)].filter((token) => this.#tokenizer.tokenToId(token) === null);
    this.#truncating.clear();
    return fresh.length === 0 ? 0 : this.#tokenizer.addTokens(fresh);
  }

  /**
   * Writes tokenizer.json (and vocab.txt for WordPiece), tokenizer_config.json and
   * special_tokens_map.json, so that transformers' AutoTokenizer.from_pretrained(dir) gives the
   * same ids.
   */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    removeStaleTemporaries(dir);
    const write = (name: string, text: string) => {
      const tmp = join(dir, `${name}.tmp-${process.pid}`);
      writeFileSync(tmp, text);
      renameSync(tmp, join(dir, name));
    };
    const tmpJson = join(dir, `tokenizer.json.tmp-${process.pid}`);
    this.#tokenizer.save(tmpJson, false);
    const wordPiece = (readJsonObject(tmpJson, 'tokenizer file') as { model?: { type?: string } }).model?.type === 'WordPiece';
    renameSync(tmpJson, join(dir, 'tokenizer.json'));
    if (wordPiece) write('vocab.txt', `${this.vocabulary().join('\n')}\n`);
    const specials = Object.fromEntries(ROLES.filter((role) => this.specialTokens[role] !== null).map((role) => [`${role}_token`, this.specialTokens[role]]));
    write(
      'tokenizer_config.json',
      `${JSON.stringify({ tokenizer_class: this.tokenizerClass, ...(wordPiece ? { do_lower_case: this.lowercase } : {}), model_max_length: this.modelMaxLength, ...specials }, null, 2)}\n`,
    );
    write('special_tokens_map.json', `${JSON.stringify(specials, null, 2)}\n`);
  }
}

const BERT_SPECIALS: SpecialTokens = { cls: SPECIAL_TOKENS.cls, sep: SPECIAL_TOKENS.sep, pad: SPECIAL_TOKENS.pad, mask: SPECIAL_TOKENS.mask, unk: SPECIAL_TOKENS.unk, bos: null, eos: null };

/** The tokenizer under its older name (every tokenizer, not only BERT's, is a Tokenizer). */
export const BertTokenizer = Tokenizer;
export type BertTokenizer = Tokenizer;

/** transformers' AutoTokenizer: any model folder's tokenizer. */
export const AutoTokenizer = {
  /** A folder, or a hub id already in the cache (no request): synchronous. */
  fromPretrained(idOrDir: string, options: Pick<HubOptions, 'revision' | 'cacheDir'> = {}): Tokenizer {
    return Tokenizer.fromPretrained(idOrDir, options);
  },
  /** A folder or any hub id: the tokenizer files are downloaded into the hub cache when missing. */
  async fromPretrainedAsync(idOrDir: string, options: HubOptions = {}): Promise<Tokenizer> {
    const dir = await resolveModelDir(idOrDir, { ...options, files: 'tokenizer' });
    return Tokenizer.fromPretrained(dir);
  },
};
