// transformers' loss selection for sequence classifiers (problem_type, or decided from the
// labels and remembered in the config so a saved model keeps it).
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import type { PretrainedConfig, ProblemType } from '../pretrained-config.js';

/** problem_type as transformers decides it when the config leaves it unset. */
export function problemTypeFor(config: PretrainedConfig, labels: Tensor): ProblemType {
  if (config.fields.problem_type) return config.fields.problem_type;
  if (config.numLabels === 1) return 'regression';
  return labels.dtype === 'int64' || labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification';
}

/** MSE for regression, cross-entropy for one label, BCE with logits for several; sets config.problem_type. */
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
