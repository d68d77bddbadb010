// The data pipeline: import { data } from 'plm-torch'.
export { Tokenizer, AutoTokenizer, BertTokenizer, SPECIAL_TOKENS, type SpecialTokens, type Encoding, type EncodeOptions, type BertTokenizerOptions } from './tokenizer.js';
export { trainTokenizer, type TrainTokenizerOptions, type TrainedTokenizer } from './train-tokenizer.js';
export { trainWordPiece, type WordPieceTrainingOptions } from './wordpiece-trainer.js';
export { readDocuments, readLines, resolveCorpusFiles, emptyStats, type CorpusOptions, type CorpusStats } from './corpus.js';
export { prepareShards, ShardedCorpus, MANIFEST, type Manifest, type PrepareOptions, type ShardInfo } from './shards.js';
export { PretrainingStream, type StreamMode, type StreamOptions, type StreamPosition } from './pretraining-stream.js';
export { MlmCollator, type Example, type MlmBatch, type MlmCollatorOptions } from './mlm-collator.js';
export { readRecords } from './records.js';
export { ClassificationCollator, labelSet, type ClassificationRecord, type ClassificationBatch } from './classification-collator.js';
export { findDomainTerms, type DomainTerm } from './domain-vocabulary.js';
export { Random } from './random.js';
