// plm-torch predict: a classifier's label and probabilities for texts, or a masked language
// model's best fillers for each [MASK].
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { maskedLmFromFolder } from '../inference/masked-lm-folder.js';
import { Tokenizer } from '../data/tokenizer.js';
import { AutoModelForSequenceClassification, folderTask } from '../models/auto.js';
import { classify, fillMasks, SCORE_FUNCTIONS, type ClassPrediction, type ScoreFunction } from '../inference/predictions.js';
import { parseHubId } from '../hub/hub-id.js';
import { resolveModelDir } from '../hub/snapshot.js';
import { integer, parseCommand, required, UsageError } from './args.js';
import { downloadReporter } from './progress.js';

const HELP = `Usage: plm-torch predict --model DIR --text TEXT... [--text-pair TEXT] [--top K] [--json]

A sequence classifier prints each text's label and class probabilities. A masked language
model (a text with [MASK]) prints the top K tokens for each [MASK].

  --model DIR|ID    a model folder with its tokenizer, or a hub id (org/name)
  --revision REV    with a hub id: a branch, tag or commit (default main)
  --text TEXT       a text; repeat for more
  --text-pair TEXT  a second segment for every text (pair classification)
  --scores FN       softmax, sigmoid or none (raw logits, for regression); default as
                    transformers: sigmoid for multi-label or one output, else softmax
  --top K           fillers per [MASK] (default 5)
  --json            print JSON lines
`;

export async function predict(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      model: { type: 'string' },
      revision: { type: 'string' },
      text: { type: 'string', multiple: true },
      'text-pair': { type: 'string' },
      scores: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const given = required(values.model, '--model');
  if (!existsSync(given) && parseHubId(given) === null) throw new UsageError(`--model: ${given} does not exist (and it is not a hub id, which is org/name or name)`);
  const dir = await resolveModelDir(given, { files: 'model', ...(values.revision ? { revision: values.revision } : {}), onProgress: downloadReporter() });
  const texts = required(values.text, '--text');
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--model: ${given} is not a model folder (no config.json)`);
  const scores = values.scores as ScoreFunction | undefined;
  if (scores !== undefined && !SCORE_FUNCTIONS.includes(scores)) throw new UsageError(`--scores must be softmax, sigmoid or none, got '${scores}'`);
  const { task, architecture } = folderTask(dir);
  const tokenizer = Tokenizer.fromPretrained(dir);
  let lines: string[];
  if (task === 'sequenceClassification') {
    const predictions = await classify(await AutoModelForSequenceClassification.fromPretrained(dir), tokenizer, texts, { textPair: values['text-pair'] ?? null, functionToApply: scores });
    const shown = (p: ClassPrediction) => (scores === 'none' ? p.scores[p.label]!.toPrecision(4) : `${(p.scores[p.label]! * 100).toFixed(1)}%`);
    lines = predictions.map((p) => (values.json ? JSON.stringify(p) : `${p.label}\t${shown(p)}\t${p.text}`));
  } else {
    const mask = tokenizer.maskToken;
    const unmasked = texts.find((text) => !text.includes(mask));
    if (unmasked !== undefined) throw new UsageError(`"${unmasked}" has no ${mask} to fill, and ${dir} is not a sequence classifier`);
    const predictions = await fillMasks(await maskedLmFromFolder(dir, architecture), tokenizer, texts, { topK: integer(values.top, '--top', 5) });
    lines = predictions.map((p) =>
      values.json ? JSON.stringify(p) : `${p.text}\n${p.masks.map((f, m) => `  ${mask} ${m + 1}: ${f.map((x) => `${x.token} ${(x.probability * 100).toFixed(1)}%`).join(', ')}`).join('\n')}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
