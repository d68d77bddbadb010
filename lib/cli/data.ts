// plm-torch data prepare: a corpus tokenised into binary shards for pretraining.
import { prepareShards } from '../data/shards.js';
import { Tokenizer } from '../data/tokenizer.js';

import { integer, parseCommand, required, UsageError } from './args.js';

const HELP = `Usage: plm-torch data prepare --corpus FILES... --tokenizer DIR --out DIR [--shard-tokens N]

Tokenises text or JSONL corpora (gzip'd too; globs allowed; documents separated by blank
lines in text files) in parallel batches into token shards with an index of documents and
sentences. OUT gets manifest.json last, so an interrupted run never looks finished.

  --corpus FILE      a corpus file or glob; repeat for more
  --tokenizer DIR    a folder with tokenizer.json or vocab.txt
  --out DIR          where the shards go (must not hold shards already)
  --shard-tokens N   tokens per shard (default 50000000)
  --text-field NAME  the JSONL field with the text (default text)
`;

export async function data(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    process.stdout.write(HELP);
    return action === undefined ? 1 : 0;
  }
  if (action !== 'prepare') throw new UsageError(`unknown action '${action}'; try: plm-torch data prepare --help`);
  const parsed = parseCommand(
    rest,
    {
      corpus: { type: 'string', multiple: true },
      tokenizer: { type: 'string' },
      out: { type: 'string' },
      'shard-tokens': { type: 'string' },
      'text-field': { type: 'string' },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const tokenizer = Tokenizer.fromPretrained(required(values.tokenizer, '--tokenizer'));
  const out = required(values.out, '--out');
  const manifest = await prepareShards(required(values.corpus, '--corpus'), tokenizer, out, {
    shardTokens: integer(values['shard-tokens'], '--shard-tokens', 50_000_000),
    textField: values['text-field'],
  });
  const mb = manifest.corpus.bytes / 1e6;
  const skipped = manifest.corpus.skipped;
  process.stdout.write(
    [
      `prepared ${manifest.documents} documents, ${manifest.sentences} sentences, ${manifest.tokens} tokens in ${manifest.shards.length} shard(s) (${manifest.dtype}) → ${out}`,
      `skipped lines: ${skipped.tooLong} too long, ${skipped.invalidUtf8} not UTF-8, ${skipped.invalidJson} bad JSON, ${skipped.notText} without text; ${manifest.emptySentences} empty after tokenisation`,
      `throughput: ${mb.toFixed(1)} MB of text in ${manifest.seconds.toFixed(1)} s = ${(mb / Math.max(manifest.seconds, 1e-3)).toFixed(2)} MB/s`,
      '',
    ].join('\n'),
  );
  return 0;
}
