// The fine-tuning losses as transformers' heads compute them, from the logits and the config
// alone, shared by every family's heads.
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from '../torch/functional.js';
import type { Tensor } from '../torch/tensor.js';
import type { PretrainedConfig, ProblemType } from './pretrained-config.js';

/** The problem type as transformers decides it when config.problem_type is unset. */
export function problemTypeFor(config: PretrainedConfig, labels: Tensor): ProblemType {
  if (config.fields.problem_type) return config.fields.problem_type;
  if (config.numLabels === 1) return 'regression';
  return labels.dtype === 'int64' || labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification';
}

/**
 * Regression (MSE), single-label (cross entropy) or multi-label (BCE with logits) loss over
 * (batch, num_labels) logits. The problem type chosen is remembered in the config, as
 * transformers does, so a saved model (and its predictions) keep it.
 */
export function sequenceClassificationLoss(config: PretrainedConfig, logits: Tensor, labels: Tensor): Tensor {
  const n = config.numLabels;
  const problemType = problemTypeFor(config, labels);
  (config.fields as { problem_type: ProblemType | null }).problem_type = problemType;
  switch (problemType) {
    case 'regression':
      return n === 1 ? mseLoss(logits.squeeze(), labels.squeeze().to({ dtype: logits.dtype })) : mseLoss(logits, labels.to({ dtype: logits.dtype }));
    case 'single_label_classification':
      return crossEntropy(logits.view(-1, n), labels.view(-1));
    case 'multi_label_classification':
      return binaryCrossEntropyWithLogits(logits, labels.to({ dtype: logits.dtype }));
  }
}

/** A label per token: cross entropy over every position whose label is not -100. */
export function tokenClassificationLoss(config: PretrainedConfig, logits: Tensor, labels: Tensor): Tensor {
  return crossEntropy(logits.view(-1, config.numLabels), labels.view(-1));
}

/**
 * Extractive QA: the mean of the start and end cross entropies. Positions outside the sequence
 * are clamped to its length and ignored, as transformers does.
 */
export function spanLoss(startLogits: Tensor, endLogits: Tensor, startPositions: Tensor, endPositions: Tensor): Tensor {
  const ignored = startLogits.shape[1]!;
  const s = startPositions.view(-1).clamp(0, ignored);
  const e = endPositions.view(-1).clamp(0, ignored);
  return crossEntropy(startLogits, s, { ignoreIndex: ignored }).add(crossEntropy(endLogits, e, { ignoreIndex: ignored })).div(2);
}
