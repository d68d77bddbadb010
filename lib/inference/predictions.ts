// What a trained model says about texts: a classifier's label with class probabilities, or a
// masked language model's best fillers for each [MASK]. Used by `plm-torch predict` and by
// ModelWorker, which runs them off the main thread.
import type { BertTokenizer } from '../data/tokenizer.js';
import type { BertForMaskedLM } from '../models/bert/for-masked-lm.js';
import type { BertForSequenceClassification } from '../models/bert/for-tasks.js';
import { noGrad } from '../torch/autograd.js';
import { tensor } from '../torch/creation.js';
import { tidy } from '../torch/scope.js';

export interface ClassPrediction {
  text: string;
  label: string;
  /** Probability of every label, by name. */
  scores: Record<string, number>;
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
  model: BertForSequenceClassification,
  tokenizer: BertTokenizer,
  texts: readonly string[],
  options: { textPair?: string | null; maxLength?: number } = {},
): Promise<ClassPrediction[]> {
  model.eval();
  const id2label = model.config.fields.id2label;
  const results: ClassPrediction[] = [];
  for (const text of texts) {
    const e = await tokenizer.encode(text, options.textPair ?? null, { maxLength: options.maxLength ?? 512 });
    const probs = noGrad(() =>
      tidy(() => model.forward({ inputIds: tensor([e.ids], { dtype: 'int64' }), tokenTypeIds: tensor([e.typeIds], { dtype: 'int64' }) }).logits.softmax(-1).toArray() as number[][]),
    )[0]!;
    const best = probs.indexOf(Math.max(...probs));
    results.push({ text, label: id2label[String(best)] ?? String(best), scores: Object.fromEntries(probs.map((p, i) => [id2label[String(i)] ?? String(i), p])) });
  }
  return results;
}

export async function fillMasks(model: BertForMaskedLM, tokenizer: BertTokenizer, texts: readonly string[], options: { topK?: number } = {}): Promise<MaskPrediction[]> {
  model.eval();
  const k = options.topK ?? 5;
  const results: MaskPrediction[] = [];
  for (const text of texts) {
    const e = await tokenizer.encode(text, null, { maxLength: 512 });
    const positions = e.ids.flatMap((id, i) => (id === tokenizer.maskId ? [i] : []));
    if (positions.length === 0) throw new Error(`"${text}" has no [MASK] to fill`);
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
