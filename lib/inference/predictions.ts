// What a trained model says about texts: a classifier's label with class probabilities, or a
// masked language model's best fillers for each [MASK]. Used by `plm-torch predict` and by
// ModelWorker, which runs them off the main thread.
import type { Tokenizer } from '../data/tokenizer.js';
import { PretrainedConfig } from '../models/pretrained-config.js';
import type { MaskedLanguageModel, SequenceClassifier } from '../models/tasks.js';
import { noGrad } from '../torch/autograd.js';
import { tensor } from '../torch/creation.js';
import { describeValue } from '../torch/describe.js';
import { tidy } from '../torch/scope.js';

export interface ClassPrediction {
  text: string;
  /** The label with the highest score. */
  label: string;
  /** Every label's score, by name: probabilities under softmax or sigmoid, raw logits under 'none'. */
  scores: Record<string, number>;
}

/** What turns a classifier's logits into scores, as transformers' text-classification pipeline. */
export const SCORE_FUNCTIONS = ['softmax', 'sigmoid', 'none'] as const;
export type ScoreFunction = (typeof SCORE_FUNCTIONS)[number];

/**
 * transformers' rule: sigmoid for a multi-label classifier or a single output (each label
 * independent), softmax otherwise. A regression model wants 'none' (the predicted value).
 */
export function defaultScoreFunction(config: PretrainedConfig): ScoreFunction {
  if (!(config instanceof PretrainedConfig)) throw new TypeError(`defaultScoreFunction(): config must be a model's config (a PretrainedConfig such as BertConfig), got ${describeValue(config)}`);
  return config.fields.problem_type === 'multi_label_classification' || config.numLabels === 1 ? 'sigmoid' : 'softmax';
}

export interface MaskFill {
  token: string;
  probability: number;
}

export interface MaskPrediction {
  text: string;
  /** For each [MASK] in order, the top fillers. */
  masks: MaskFill[][];
}

export async function classify(
  model: SequenceClassifier,
  tokenizer: Tokenizer,
  texts: readonly string[],
  options: { textPair?: string | null; maxLength?: number; functionToApply?: ScoreFunction } = {},
): Promise<ClassPrediction[]> {
  model.eval();
  const id2label = model.config.fields.id2label;
  const score = options.functionToApply ?? defaultScoreFunction(model.config);
  if (!SCORE_FUNCTIONS.includes(score)) throw new RangeError(`functionToApply must be 'softmax', 'sigmoid' or 'none', got ${describeValue(score)}`);
  const results: ClassPrediction[] = [];
  for (const text of texts) {
    const e = await tokenizer.encode(text, options.textPair ?? null, { maxLength: options.maxLength ?? 512 });
    const probs = noGrad(() =>
      tidy(() => {
        const logits = model.forward({ inputIds: tensor([e.ids], { dtype: 'int64' }), tokenTypeIds: tensor([e.typeIds], { dtype: 'int64' }) }).logits.float();
        const scores = score === 'softmax' ? logits.softmax(-1) : score === 'sigmoid' ? logits.sigmoid() : logits;
        return scores.toArray() as number[][];
      }),
    )[0]!;
    const best = probs.indexOf(Math.max(...probs));
    results.push({ text, label: id2label[String(best)] ?? String(best), scores: Object.fromEntries(probs.map((p, i) => [id2label[String(i)] ?? String(i), p])) });
  }
  return results;
}

export async function fillMasks(model: MaskedLanguageModel, tokenizer: Tokenizer, texts: readonly string[], options: { topK?: number } = {}): Promise<MaskPrediction[]> {
  model.eval();
  const k = options.topK ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > tokenizer.vocabSize) throw new RangeError(`topK must be an integer from 1 to the vocabulary size (${tokenizer.vocabSize}), got ${describeValue(k)}`);
  const results: MaskPrediction[] = [];
  for (const text of texts) {
    const e = await tokenizer.encode(text, null, { maxLength: 512 });
    const positions = e.ids.flatMap((id, i) => (id === tokenizer.maskId ? [i] : []));
    const wanted = text.split(tokenizer.maskToken).length - 1;
    const quoted = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    if (positions.length === 0 && wanted === 0) throw new Error(`"${quoted}" has no ${tokenizer.maskToken} to fill`);
    if (positions.length < wanted) throw new Error(`"${quoted}" is longer than the model's 512 tokens: ${wanted - positions.length} of its ${wanted} ${tokenizer.maskToken}s fall past the end`);
    const masks = noGrad(() =>
      tidy(() => {
        const logits = model.forward({ inputIds: tensor([e.ids], { dtype: 'int64' }) }).logits.select(0, 0);
        return positions.map((p) => {
          const { values, indices } = logits.select(0, p).softmax(-1).topk(k);
          const probs = values.toArray() as number[];
          return (indices.toArray() as number[]).map((id, j) => ({ token: tokenizer.idToToken(id) ?? `[${id}]`, probability: probs[j]! }));
        });
      }),
    );
    results.push({ text, masks });
  }
  return results;
}
