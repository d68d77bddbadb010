// plm-torch tokenizer train: a BERT WordPiece vocabulary from corpus files.
import { trainTokenizer } from '../data/train-tokenizer.js';

import { integer, parseCommand, required, UsageError } from './args.js';

const HELP = `Usage: plm-torch tokenizer train --corpus FILES... --out DIR [--vocab-size N] [--min-frequency N] [--cased]

Learns a WordPiece vocabulary (BERT's [PAD] [UNK] [CLS] [SEP] [MASK] first) from text or
JSONL files (gzip'd too; globs allowed) and writes tokenizer.json, vocab.txt and
tokenizer_config.json to DIR, loadable by transformers' AutoTokenizer.

  --corpus FILE     a corpus file or glob; repeat for more
  --out DIR         where to write the tokenizer
  --vocab-size N    vocabulary size (default 30522)
  --min-frequency N pairs rarer than this are not merged (default 2)
  --cased           keep case and accents (default: uncased, as bert-base-uncased)
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
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const started = Date.now();
  const trained = await trainTokenizer(required(values.corpus, '--corpus'), {
    vocabSize: integer(values['vocab-size'], '--vocab-size', 30522, 6),
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
