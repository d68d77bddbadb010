// Training a BERT WordPiece tokenizer from corpus files: words counted with the tokenizers
// library's own BERT normaliser and pre-tokenizer, a vocabulary learned from the counts,
// and a tokenizer whose post-processor adds [CLS] and [SEP].
import { createRequire } from 'node:module';
import type * as TokenizersModule from 'tokenizers';

import { emptyStats, readLines, type CorpusOptions, type CorpusStats } from './corpus.js';
import { BertTokenizer, SPECIAL_TOKENS } from './tokenizer.js';
import { trainWordPiece } from './wordpiece-trainer.js';

const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof TokenizersModule;

export interface TrainTokenizerOptions extends CorpusOptions {
  vocabSize?: number;
  minFrequency?: number;
  lowercase?: boolean;
  limitAlphabet?: number;
}

export interface TrainedTokenizer {
  tokenizer: BertTokenizer;
  stats: CorpusStats;
  /** Distinct words seen. */
  words: number;
}

export async function trainTokenizer(files: readonly string[], options: TrainTokenizerOptions = {}): Promise<TrainedTokenizer> {
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
  return { tokenizer: BertTokenizer.fromVocab(vocab, { lowercase }), stats, words: counts.size };
}
