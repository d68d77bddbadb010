// BERT's WordPiece tokenizer on Hugging Face's `tokenizers` (Rust, prebuilt in the npm
// package): load tokenizer.json or a vocab.txt, encode texts and pairs with offsets and word
// ids, and save a folder that transformers' AutoTokenizer loads with the same ids.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

import type * as TokenizersModule from 'tokenizers';
import { readJsonObject } from '../io/json-file.js';
import { removeStaleTemporaries } from '../io/stale-temporaries.js';
import { describeValue } from '../torch/describe.js';
import { expectArray } from '../torch/arrays.js';

const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof TokenizersModule;
type NativeTokenizer = TokenizersModule.Tokenizer;

export const SPECIAL_TOKENS = { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' } as const;

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

export class BertTokenizer {
  readonly #tokenizer: NativeTokenizer;
  // Truncation is a setting of a tokenizer instance in the tokenizers library; one copy per
  // length keeps concurrent encodes with different lengths apart.
  readonly #truncating = new Map<number, NativeTokenizer>();
  readonly lowercase: boolean;
  readonly modelMaxLength: number;

  private constructor(tokenizer: NativeTokenizer, lowercase: boolean, modelMaxLength: number) {
    if (!(tokenizer instanceof tokenizers.Tokenizer)) throw new TypeError('BertTokenizer: make one with BertTokenizer.fromVocab(), fromVocabFile(), fromFile() or fromPretrained()');
    this.#tokenizer = tokenizer;
    this.lowercase = lowercase;
    this.modelMaxLength = modelMaxLength;
    for (const token of Object.values(SPECIAL_TOKENS)) {
      if (tokenizer.tokenToId(token) === null) throw new Error(`the vocabulary has no ${token} token`);
    }
  }

  /** A BERT tokenizer over a vocabulary (tokens in id order), with BERT's normaliser, pre-tokenizer and [CLS]/[SEP] template. */
  static fromVocab(vocab: readonly string[], options: BertTokenizerOptions = {}): BertTokenizer {
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
    return new BertTokenizer(tokenizer, lowercase, options.modelMaxLength ?? 512);
  }

  /** A vocab.txt: one token a line, the line number its id. */
  static fromVocabFile(path: string, options: BertTokenizerOptions = {}): BertTokenizer {
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) throw new Error(`${path} is an empty vocabulary`);
    return BertTokenizer.fromVocab(lines.map((l) => l.replace(/\r$/, '')), options);
  }

  /** A tokenizer.json as the tokenizers library writes it. */
  static fromFile(path: string, options: Pick<BertTokenizerOptions, 'modelMaxLength'> & { lowercase?: boolean } = {}): BertTokenizer {
    if (!existsSync(path)) throw new Error(`${path}: no such file`);
    let tokenizer: NativeTokenizer;
    try {
      tokenizer = tokenizers.Tokenizer.fromFile(path);
    } catch (err) {
      throw new Error(`${path} is not a tokenizer.json the tokenizers library can read: ${(err as Error).message}`);
    }
    const json = readJsonObject(path, 'tokenizer file') as { normalizer?: { lowercase?: boolean } | null };
    return new BertTokenizer(tokenizer, options.lowercase ?? json.normalizer?.lowercase ?? true, options.modelMaxLength ?? 512);
  }

  /**
   * A model folder: tokenizer.json if present, else vocab.txt with tokenizer_config.json's
   * normalisation (do_lower_case, strip_accents, tokenize_chinese_chars), as transformers reads them.
   */
  static fromPretrained(dir: string): BertTokenizer {
    const configPath = join(dir, 'tokenizer_config.json');
    const config = existsSync(configPath)
      ? (readJsonObject(configPath, 'tokenizer config') as { do_lower_case?: boolean; strip_accents?: boolean | null; tokenize_chinese_chars?: boolean; model_max_length?: number })
      : {};
    const modelMaxLength = typeof config.model_max_length === 'number' && config.model_max_length < 1e9 ? config.model_max_length : 512;
    if (existsSync(join(dir, 'tokenizer.json'))) return BertTokenizer.fromFile(join(dir, 'tokenizer.json'), { modelMaxLength, lowercase: config.do_lower_case });
    if (existsSync(join(dir, 'vocab.txt'))) {
      return BertTokenizer.fromVocabFile(join(dir, 'vocab.txt'), {
        lowercase: config.do_lower_case ?? true,
        // null (transformers' default) means: strip accents exactly when lowercasing.
        ...(typeof config.strip_accents === 'boolean' ? { stripAccents: config.strip_accents } : {}),
        ...(typeof config.tokenize_chinese_chars === 'boolean' ? { handleChineseChars: config.tokenize_chinese_chars } : {}),
        modelMaxLength,
      });
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

  get padId(): number {
    return this.tokenToId(SPECIAL_TOKENS.pad)!;
  }

  get clsId(): number {
    return this.tokenToId(SPECIAL_TOKENS.cls)!;
  }

  get sepId(): number {
    return this.tokenToId(SPECIAL_TOKENS.sep)!;
  }

  get maskId(): number {
    return this.tokenToId(SPECIAL_TOKENS.mask)!;
  }

  get unkId(): number {
    return this.tokenToId(SPECIAL_TOKENS.unk)!;
  }

  /** The ids of every special token, for collators that must never mask them. */
  get specialIds(): number[] {
    return Object.values(SPECIAL_TOKENS).map((t) => this.tokenToId(t)!);
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
   * Writes tokenizer.json, vocab.txt, tokenizer_config.json and special_tokens_map.json, so
   * that transformers' AutoTokenizer.from_pretrained(dir) gives the same ids.
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
    renameSync(tmpJson, join(dir, 'tokenizer.json'));
    write('vocab.txt', `${this.vocabulary().join('\n')}\n`);
    write(
      'tokenizer_config.json',
      `${JSON.stringify(
        {
          tokenizer_class: 'BertTokenizer',
          do_lower_case: this.lowercase,
          model_max_length: this.modelMaxLength,
          cls_token: SPECIAL_TOKENS.cls,
          sep_token: SPECIAL_TOKENS.sep,
          pad_token: SPECIAL_TOKENS.pad,
          mask_token: SPECIAL_TOKENS.mask,
          unk_token: SPECIAL_TOKENS.unk,
        },
        null,
        2,
      )}\n`,
    );
    write(
      'special_tokens_map.json',
      `${JSON.stringify({ cls_token: SPECIAL_TOKENS.cls, sep_token: SPECIAL_TOKENS.sep, pad_token: SPECIAL_TOKENS.pad, mask_token: SPECIAL_TOKENS.mask, unk_token: SPECIAL_TOKENS.unk }, null, 2)}\n`,
    );
  }
}
