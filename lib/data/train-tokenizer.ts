// Training a tokenizer from corpus files: BERT's WordPiece (words counted with the tokenizers
// library's own BERT normaliser and pre-tokenizer, a post-processor adding [CLS] and [SEP]), or
// RoBERTa's byte-level BPE (words counted with the byte-level pre-tokenizer, all 256 bytes in
// the alphabet so no text is unknown, <s> A </s></s> B </s> templates).
import { createRequire } from 'node:module';
import type * as TokenizersModule from 'tokenizers';

import { emptyStats, readLines, type CorpusOptions, type CorpusStats } from './corpus.js';
import { Tokenizer, SPECIAL_TOKENS } from './tokenizer.js';
import { learnMerges, trainWordPiece } from './wordpiece-trainer.js';

const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof TokenizersModule;

export interface TrainTokenizerOptions extends CorpusOptions {
  vocabSize?: number;
  minFrequency?: number;
  /** WordPiece only: lowercase and strip accents (default true, as bert-base-uncased). Byte-level BPE keeps case, as RoBERTa. */
  lowercase?: boolean;
  limitAlphabet?: number;
  /** 'wordpiece' (BERT, the default) or 'bpe' (byte-level, RoBERTa). */
  type?: 'wordpiece' | 'bpe';
}

/** RoBERTa's special tokens, in its id order. */
export const BPE_SPECIAL_TOKENS = { bos: '<s>', pad: '<pad>', eos: '</s>', unk: '<unk>', mask: '<mask>' } as const;

export interface TrainedTokenizer {
  tokenizer: Tokenizer;
  stats: CorpusStats;
  /** Distinct words seen. */
  words: number;
}

export async function trainTokenizer(files: readonly string[], options: TrainTokenizerOptions = {}): Promise<TrainedTokenizer> {
  if (options.type === 'bpe') return trainByteLevelBpe(files, options);
  if (options.type !== undefined && options.type !== 'wordpiece') throw new RangeError(`trainTokenizer(): type must be 'wordpiece' or 'bpe', got ${JSON.stringify(options.type)?.slice(0, 40)}`);
  const lowercase = options.lowercase ?? true;
  const normalizer = tokenizers.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: lowercase, lowercase });
  const preTokenizer = tokenizers.bertPreTokenizer();
  const counts = new Map<string, number>();
  const stats = emptyStats();
  for await (const line of readLines(files, options, stats)) {
    for (const [word] of preTokenizer.preTokenizeString(normalizer.normalizeString(line))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  if (counts.size === 0) throw new Error(`the corpus (${files.join(', ')}) holds no text to train on`);
  const vocab = trainWordPiece(counts, {
    vocabSize: options.vocabSize ?? 30522,
    minFrequency: options.minFrequency ?? 2,
    specialTokens: [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.unk, SPECIAL_TOKENS.cls, SPECIAL_TOKENS.sep, SPECIAL_TOKENS.mask],
    limitAlphabet: options.limitAlphabet,
  });
  return { tokenizer: Tokenizer.fromVocab(vocab, { lowercase }), stats, words: counts.size };
}

async function trainByteLevelBpe(files: readonly string[], options: TrainTokenizerOptions): Promise<TrainedTokenizer> {
  const preTokenizer = tokenizers.byteLevelPreTokenizer(false, true);
  const counts = new Map<string, number>();
  const stats = emptyStats();
  for await (const line of readLines(files, options, stats)) {
    for (const [word] of preTokenizer.preTokenizeString(line)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  if (counts.size === 0) throw new Error(`the corpus (${files.join(', ')}) holds no text to train on`);
  const specials = Object.values(BPE_SPECIAL_TOKENS);
  const { tokens, merges } = learnMerges(counts, {
    vocabSize: options.vocabSize ?? 50265,
    minFrequency: options.minFrequency ?? 2,
    specialTokens: specials,
    prefix: '',
    initialAlphabet: tokenizers.byteLevelAlphabet(),
  });
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  // Written as tokenizer.json is (the Node binding has no byte-level decoder to set): the
  // tokenizers library reads it, and so does transformers.
  const added = specials.map((content) => ({ id: vocab[content]!, content, single_word: false, lstrip: content === BPE_SPECIAL_TOKENS.mask, rstrip: false, normalized: false, special: true }));
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: [BPE_SPECIAL_TOKENS.eos, vocab[BPE_SPECIAL_TOKENS.eos]], cls: [BPE_SPECIAL_TOKENS.bos, vocab[BPE_SPECIAL_TOKENS.bos]], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: merges.map(([x, y]) => `${x} ${y}`) },
  };
  const tokenizer = Tokenizer.fromJSONText(JSON.stringify(json), {
    lowercase: false,
    modelMaxLength: 512,
    specialTokens: { cls: BPE_SPECIAL_TOKENS.bos, sep: BPE_SPECIAL_TOKENS.eos, pad: BPE_SPECIAL_TOKENS.pad, mask: BPE_SPECIAL_TOKENS.mask, unk: BPE_SPECIAL_TOKENS.unk, bos: BPE_SPECIAL_TOKENS.bos, eos: BPE_SPECIAL_TOKENS.eos },
    tokenizerClass: 'RobertaTokenizer',
  });
  return { tokenizer, stats, words: counts.size };
}
