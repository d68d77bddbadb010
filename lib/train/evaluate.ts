// Evaluation metrics: for pretraining, MLM loss, perplexity, masked-token accuracy and NSP
// accuracy over held-out batches; for classification, loss, accuracy and macro-F1.
import type { MlmBatch } from '../data/mlm-collator.js';
import type { MaskedLanguageModel, PreTrainingModel, SequenceClassifier } from '../models/tasks.js';
import { noGrad } from '../torch/autograd.js';
import { tidy } from '../torch/scope.js';
import type { Tensor } from '../torch/tensor.js';
import { expectModule } from '../nn/module.js';

export interface PretrainingMetrics {
  mlmLoss: number;
  perplexity: number;
  maskedAccuracy: number;
  /** Only for models with an NSP head and batches with NSP labels. */
  nspAccuracy?: number;
  maskedTokens: number;
}

/** Token-weighted MLM loss and accuracy (and NSP accuracy) over the given batches. */
export function evaluatePretraining(model: PreTrainingModel | MaskedLanguageModel, batches: Iterable<MlmBatch>): PretrainingMetrics {
  expectModule(model, 'evaluatePretraining(): model');
  model.eval();
  let lossSum = 0;
  let correct = 0;
  let masked = 0;
  let nspCorrect = 0;
  let nspTotal = 0;
  noGrad(() => {
    for (const batch of batches) {
      tidy(() => {
        const out = (model as PreTrainingModel).forward({ ...batch, nextSentenceLabel: undefined }) as { logits?: Tensor; predictionLogits?: Tensor; loss: Tensor | null; seqRelationshipLogits?: Tensor | null };
        const logits = out.predictionLogits ?? out.logits!;
        const targets = batch.labels.index([batch.labels.ne(-100)]);
        const n = targets.numel();
        if (n > 0) {
          const losses = logits.logSoftmax(-1).gather(1, targets.unsqueeze(1)).neg();
          lossSum += losses.sum().item() as number;
          correct += logits.argmax(-1).eq(targets).sum().item() as number;
          masked += n;
        }
        if (out.seqRelationshipLogits && batch.nextSentenceLabel) {
          nspCorrect += out.seqRelationshipLogits.argmax(-1).eq(batch.nextSentenceLabel).sum().item() as number;
          nspTotal += batch.nextSentenceLabel.numel();
        }
      });
    }
  });
  if (masked === 0) throw new Error('evaluation saw no masked tokens: give it batches with MLM labels');
  const mlmLoss = lossSum / masked;
  return {
    mlmLoss,
    perplexity: Math.exp(mlmLoss),
    maskedAccuracy: correct / masked,
    ...(nspTotal > 0 ? { nspAccuracy: nspCorrect / nspTotal } : {}),
    maskedTokens: masked,
  };
}

export interface ClassificationMetrics {
  loss: number;
  accuracy: number;
  macroF1: number;
  examples: number;
}

/** Accuracy and macro-F1 (F1 averaged over classes, each class that occurs or is predicted). */
export function classificationMetrics(predictions: readonly number[], labels: readonly number[], numClasses: number): { accuracy: number; macroF1: number } {
  if (predictions.length !== labels.length || labels.length === 0) throw new RangeError('predictions and labels must be non-empty and of one length');
  let correct = 0;
  const tp = new Array<number>(numClasses).fill(0);
  const fp = new Array<number>(numClasses).fill(0);
  const fn = new Array<number>(numClasses).fill(0);
  predictions.forEach((p, i) => {
    const y = labels[i]!;
    if (p === y) {
      correct++;
      tp[y]!++;
    } else {
      fp[p]!++;
      fn[y]!++;
    }
  });
  const f1s: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    if (tp[c]! + fp[c]! + fn[c]! === 0) continue;
    f1s.push((2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn[c]!));
  }
  return { accuracy: correct / labels.length, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length };
}

export function evaluateClassification(model: SequenceClassifier, batches: Iterable<{ inputIds: Tensor; attentionMask: Tensor; tokenTypeIds: Tensor; labels?: Tensor }>): ClassificationMetrics {
  expectModule(model, 'evaluateClassification(): model');
  model.eval();
  const predictions: number[] = [];
  const labels: number[] = [];
  let lossSum = 0;
  noGrad(() => {
    for (const batch of batches) {
      const batchLabels = batch.labels;
      if (!batchLabels) throw new Error('classification evaluation needs labelled batches');
      tidy(() => {
        const out = model.forward({ ...batch, labels: batchLabels });
        const n = batchLabels.numel();
        lossSum += (out.loss.item() as number) * n;
        predictions.push(...(out.logits.argmax(-1).toArray() as number[]));
        labels.push(...(batchLabels.toArray() as number[]));
      });
    }
  });
  const { accuracy, macroF1 } = classificationMetrics(predictions, labels, model.config.numLabels);
  return { loss: lossSum / labels.length, accuracy, macroF1, examples: labels.length };
}
