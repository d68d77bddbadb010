// plm-torch predict: a classifier's label and probabilities for texts, or a masked language
// model's best fillers for each [MASK].
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { BertTokenizer } from '../data/tokenizer.js';
import { BertForMaskedLM } from '../models/bert/for-masked-lm.js';
import { BertForSequenceClassification } from '../models/bert/for-tasks.js';
import { noGrad } from '../torch/autograd.js';
import { tensor } from '../torch/creation.js';
import { tidy } from '../torch/scope.js';
import { integer, required, usage, UsageError } from './args.js';

const HELP = `Usage: plm-torch predict --model DIR --text TEXT... [--text-pair TEXT] [--top K] [--json]

A sequence classifier prints each text's label and class probabilities. A masked language
model (a text with [MASK]) prints the top K tokens for each [MASK].

  --model DIR       a model folder with its tokenizer
  --text TEXT       a text; repeat for more
  --text-pair TEXT  a second segment for every text (pair classification)
  --top K           fillers per [MASK] (default 5)
  --json            print JSON lines
`;

export async function predict(args: string[]): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        model: { type: 'string' },
        text: { type: 'string', multiple: true },
        'text-pair': { type: 'string' },
        top: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = required(values.model, '--model');
  const texts = required(values.text, '--text');
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--model: ${dir} is not a model folder (no config.json)`);
  const architecture = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { architectures?: string[] }).architectures?.[0] ?? '';
  const tokenizer = BertTokenizer.fromPretrained(dir);
  const lines: string[] = [];
  if (architecture === 'BertForSequenceClassification') {
    const model = await BertForSequenceClassification.fromPretrained(dir);
    model.eval();
    const id2label = model.config.fields.id2label;
    for (const text of texts) {
      const e = await tokenizer.encode(text, values['text-pair'] ?? null, { maxLength: 512 });
      const probs = noGrad(() =>
        tidy(() => model.forward({ inputIds: tensor([e.ids], { dtype: 'int64' }), tokenTypeIds: tensor([e.typeIds], { dtype: 'int64' }) }).logits.softmax(-1).toArray() as number[][]),
      )[0]!;
      const best = probs.indexOf(Math.max(...probs));
      const scores = Object.fromEntries(probs.map((p, i) => [id2label[String(i)] ?? String(i), p]));
      lines.push(values.json ? JSON.stringify({ text, label: id2label[String(best)], scores }) : `${id2label[String(best)]}\t${(probs[best]! * 100).toFixed(1)}%\t${text}`);
    }
  } else {
    const model = await BertForMaskedLM.fromPretrained(dir);
    model.eval();
    const k = integer(values.top, '--top', 5);
    for (const text of texts) {
      const e = await tokenizer.encode(text, null, { maxLength: 512 });
      const positions = e.ids.flatMap((id, i) => (id === tokenizer.maskId ? [i] : []));
      if (positions.length === 0) throw new UsageError(`"${text}" has no [MASK] to fill, and ${dir} is not a sequence classifier`);
      const fills = noGrad(() =>
        tidy(() => {
          const logits = model.forward({ inputIds: tensor([e.ids], { dtype: 'int64' }) }).logits.select(0, 0);
          return positions.map((p) => {
            const { values: v, indices } = logits.select(0, p).softmax(-1).topk(k);
            const probs = v.toArray() as number[];
            return (indices.toArray() as number[]).map((id, j) => ({ token: tokenizer.idToToken(id), probability: probs[j]! }));
          });
        }),
      );
      lines.push(values.json ? JSON.stringify({ text, masks: fills }) : `${text}\n${fills.map((f, m) => `  [MASK] ${m + 1}: ${f.map((x) => `${x.token} ${(x.probability * 100).toFixed(1)}%`).join(', ')}`).join('\n')}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
