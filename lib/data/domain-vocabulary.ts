// Domain vocabulary extension: the domain corpus's frequent words that the current
// vocabulary splits into many pieces, best first, ready to add as whole tokens (the model
// side pairs this with resizeTokenEmbeddings).
import { createRequire } from 'node:module';
import type * as TokenizersModule from 'tokenizers';

import { readLines, type CorpusOptions } from './corpus.js';
import type { Tokenizer } from './tokenizer.js';

const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof TokenizersModule;

export interface DomainTerm {
  word: string;
  frequency: number;
  /**
   * Pieces the current vocabulary splits the word into where it follows a space, as in running
   * text (a byte-level BPE's 'Ġword'); a word with a character outside the vocabulary becomes
   * a single [UNK] and counts as many pieces as it has characters.
   */
  pieces: number;
  unknown: boolean;
  /**
   * Tokens saved over the corpus by making the word one token: frequency · (pieces − 1 −
   * the space's own token, which vocabularies that mark spaces in their pieces (BPE,
   * SentencePiece) still spend before an added word; none for WordPiece).
   */
  saving: number;
}

export async function findDomainTerms(tokenizer: Tokenizer, files: readonly string[], options: CorpusOptions & { top?: number; minFrequency?: number; minPieces?: number } = {}): Promise<DomainTerm[]> {
  const top = options.top ?? 100;
  const minFrequency = options.minFrequency ?? 5;
  const minPieces = options.minPieces ?? 2;
  const normalizer = tokenizers.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: tokenizer.lowercase, lowercase: tokenizer.lowercase });
  const preTokenizer = tokenizers.bertPreTokenizer();
  const counts = new Map<string, number>();
  for await (const line of readLines(files, options)) {
    for (const [word] of preTokenizer.preTokenizeString(normalizer.normalizeString(line))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const candidates = [...counts].filter(([word, n]) => n >= minFrequency && /\p{L}/u.test(word));
  // Words are measured after a space, as they occur in text; the space alone is what an added
  // word still costs besides itself (its own token under BPE and SentencePiece, none under WordPiece).
  const [space, ...encodings] = await tokenizer.encodeIds([' ', ...candidates.map(([w]) => ` ${w}`)], { addSpecialTokens: false });
  const spaceCost = space!.length;
  return candidates
    .map(([word, frequency], i) => {
      const ids = encodings[i]!;
      const unknown = ids.includes(tokenizer.unkId);
      const pieces = unknown ? [...word].length : ids.length;
      return { word, frequency, pieces, unknown, saving: frequency * (pieces - 1 - spaceCost) };
    })
    .filter((t) => t.pieces >= minPieces && t.saving > 0)
    .sort((a, b) => b.saving - a.saving || (a.word < b.word ? -1 : 1))
    .slice(0, top);
}
