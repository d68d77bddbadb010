// plm-torch eval: a model folder on a corpus (MLM metrics) or on labelled JSONL (classification).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { evaluateModelFolder } from '../inference/evaluate-folder.js';
import { parseHubId } from '../hub/hub-id.js';
import { resolveModelDir } from '../hub/snapshot.js';
import { integer, parseCommand, required, UsageError } from './args.js';
import { downloadReporter } from './progress.js';

const HELP = `Usage: plm-torch eval --model DIR (--corpus FILES... | --data FILE.jsonl) [--json]

With --corpus: MLM loss, perplexity and masked-token accuracy (and NSP accuracy for a model
with the NSP head) on masked batches of the corpus. With --data: loss, accuracy and macro-F1
of a sequence classifier on JSONL records {"text", "text_pair"?, "label"}.

  --model DIR|ID    a model folder with its tokenizer, or a hub id (org/name)
  --revision REV    with a hub id: a branch, tag or commit (default main)
  --corpus FILE     text or JSONL corpus (gzip, globs); repeat for more
  --data FILE       labelled JSONL records
  --batches N       masked batches to evaluate with --corpus (default 20)
  --batch-size B    sequences per batch (default 32)
  --max-length L    tokens per sequence with --corpus (default 128; --seq-len is the same)
  --seed S          seed for masking (default 0)
  --json            print one JSON object
`;

export async function evaluate(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      model: { type: 'string' },
      revision: { type: 'string' },
      corpus: { type: 'string', multiple: true },
      data: { type: 'string' },
      batches: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-length': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    HELP,
    { command: 'eval', aliases: { 'seq-len': 'max-length' } },
  );
  if (!parsed) return 0;
  const { values, flag } = parsed;
  const given = required(values.model, '--model');
  if (!existsSync(given) && parseHubId(given) === null) throw new UsageError(`--model: ${given} does not exist (and it is not a hub id, which is org/name or name)`);
  const dir = await resolveModelDir(given, { files: 'model', ...(values.revision ? { revision: values.revision } : {}), onProgress: downloadReporter() });
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--model: ${given} is not a model folder (no config.json)`);
  if (!values.corpus === !values.data) throw new UsageError('give either --corpus FILES or --data FILE.jsonl');
  const result: Record<string, unknown> = values.data
    ? { ...(await evaluateModelFolder(dir, { data: values.data })) }
    : {
        ...(await evaluateModelFolder(dir, {
          corpus: values.corpus!,
          batches: integer(values.batches, '--batches', 20),
          batchSize: integer(values['batch-size'], '--batch-size', 32),
          seqLen: integer(values['max-length'], flag('max-length'), 128, 8),
          seed: integer(values.seed, '--seed', 0, 0),
        })),
      };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${Object.entries(result).map(([k, v]) => `${k.padEnd(16)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}`).join('\n')}\n`);
  return 0;
}
