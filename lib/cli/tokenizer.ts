// plm-torch tokenizer train: a BERT WordPiece or a RoBERTa byte-level BPE vocabulary from corpus files.
import { trainTokenizer } from '../data/train-tokenizer.js';

import { integer, parseCommand, required, UsageError } from './args.js';

const HELP = `Usage: plm-torch tokenizer train --corpus FILES... --out DIR [--type wordpiece|bpe] [--vocab-size N] [--min-frequency N] [--cased]

Learns a vocabulary from text or JSONL files (gzip'd too; globs allowed) and writes
tokenizer.json, tokenizer_config.json (and vocab.txt for WordPiece) to DIR, loadable by
transformers' AutoTokenizer. WordPiece (the default) is BERT's, with [PAD] [UNK] [CLS] [SEP]
[MASK] first; bpe is RoBERTa's byte-level BPE (cased, every byte in the alphabet so no text
is unknown), with <s> <pad> </s> <unk> <mask> first, for pretraining --arch roberta and the
other families with that tokenizer.

  --type T          wordpiece (default) or bpe

  --corpus FILE     a corpus file or glob; repeat for more
  --out DIR         where to write the tokenizer
  --vocab-size N    vocabulary size (default 30522 for wordpiece, 50265 for bpe)
  --min-frequency N pairs rarer than this are not merged (default 2)
  --cased           wordpiece: keep case and accents (default: uncased, as bert-base-uncased)
`;

export async function tokenizer(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    process.stdout.write(HELP);
    return action === undefined ? 1 : 0;
  }
  if (action !== 'train') throw new UsageError(`unknown action '${action}'; try: plm-torch tokenizer train --help`);
  const parsed = parseCommand(
    rest,
    {
      corpus: { type: 'string', multiple: true },
      out: { type: 'string' },
      'vocab-size': { type: 'string' },
      'min-frequency': { type: 'string' },
      cased: { type: 'boolean' },
      type: { type: 'string', default: 'wordpiece' },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const started = Date.now();
  const type = values.type;
  if (type !== 'wordpiece' && type !== 'bpe') throw new UsageError(`--type must be wordpiece or bpe, got '${type}'`);
  const trained = await trainTokenizer(required(values.corpus, '--corpus'), {
    type,
    vocabSize: integer(values['vocab-size'], '--vocab-size', type === 'bpe' ? 50265 : 30522, type === 'bpe' ? 262 : 6),
    minFrequency: integer(values['min-frequency'], '--min-frequency', 2, 0),
    lowercase: !values.cased,
  });
  const out = required(values.out, '--out');
  trained.tokenizer.save(out);
  const s = trained.stats;
  process.stdout.write(
    `tokenizer: ${trained.tokenizer.vocabSize} tokens from ${trained.words} distinct words, ${s.lines} lines in ${s.files} file(s), ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}\n` +
      (s.skipped.tooLong + s.skipped.invalidJson + s.skipped.notText + s.skipped.invalidUtf8 > 0 ? `skipped lines: ${JSON.stringify(s.skipped)}\n` : ''),
  );
  return 0;
}
