// Fine-tuning heads: each reads the prediction head's output (dense, act, norm), then dropout
// and a classifier. Sequences are pooled by their first token or by the mean over real tokens.
import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import type { ProblemType } from '../pretrained-config.js';
import type { BaseModelOutput, EncoderExtras, EncoderInputs, QuestionAnsweringOutput, TaskOutput, WithLoss } from '../tasks.js';
import type { ModernBertConfig } from './config.js';
import { ModernBertWithEncoder } from './with-encoder.js';

function extras(out: BaseModelOutput): EncoderExtras {
  return { ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}), ...(out.attentions ? { attentions: out.attentions } : {}) };
}

/** A head with dropout and a classifier of `outputs` columns after the prediction head. */
abstract class ModernBertClassifierModel extends ModernBertWithEncoder {
  readonly drop: Dropout;
  readonly classifier: Linear;

  constructor(config: ModernBertConfig, outputs: number) {
    super(config);
    this.drop = this.registerModule('drop', new Dropout(config.fields.classifier_dropout));
    this.classifier = this.registerModule('classifier', new Linear(config.fields.hidden_size, outputs));
  }

  protected override initHeads(): void {
    this.initLinear(this.classifier, this.initStds.finalOut);
  }

  protected classify(hidden: Tensor): Tensor {
    return this.classifier.forward(this.drop.forward(this.head.forward(hidden)));
  }
}

export class ModernBertForSequenceClassification extends ModernBertClassifierModel {
  static readonly architecture: string = 'ModernBertForSequenceClassification';

  constructor(config: ModernBertConfig) {
    super(config, config.numLabels);
    this.initWeights();
  }

  /** classifier_pooling 'cls': the first token; 'mean': the mean over the attention mask. */
  pool(lastHiddenState: Tensor, attentionMask: Tensor | null | undefined): Tensor {
    if (this.config.fields.classifier_pooling === 'cls') return lastHiddenState.select(1, 0);
    if (!attentionMask) return lastHiddenState.mean(1);
    return lastHiddenState.mul(attentionMask.unsqueeze(-1)).sum(1).div(attentionMask.sum(1, true));
  }

  /** As transformers decides it when problem_type is unset. */
  problemType(labels: Tensor): ProblemType {
    if (this.config.fields.problem_type) return this.config.fields.problem_type;
    if (this.config.numLabels === 1) return 'regression';
    return labels.dtype === 'int64' || labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification';
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.model.forward(inputs);
    const logits = this.classify(this.pool(out.lastHiddenState, inputs.attentionMask));
    let loss: Tensor | null = null;
    const labels = inputs.labels;
    if (labels) {
      const n = this.config.numLabels;
      const problemType = this.problemType(labels);
      // Remembered, as transformers does, so a saved model (and its predictions) keep it.
      (this.config.fields as { problem_type: ProblemType | null }).problem_type = problemType;
      if (problemType === 'regression') loss = n === 1 ? mseLoss(logits.squeeze(), labels.squeeze().to({ dtype: logits.dtype })) : mseLoss(logits, labels.to({ dtype: logits.dtype }));
      else if (problemType === 'single_label_classification') loss = crossEntropy(logits.view(-1, n), labels.view(-1));
      else loss = binaryCrossEntropyWithLogits(logits, labels.to({ dtype: logits.dtype }));
    }
    return { loss, logits, ...extras(out) };
  }
}

export class ModernBertForTokenClassification extends ModernBertClassifierModel {
  static readonly architecture: string = 'ModernBertForTokenClassification';

  constructor(config: ModernBertConfig) {
    super(config, config.numLabels);
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.model.forward(inputs);
    const logits = this.classify(out.lastHiddenState);
    const loss = inputs.labels ? crossEntropy(logits.view(-1, this.config.numLabels), inputs.labels.view(-1)) : null;
    return { loss, logits, ...extras(out) };
  }
}

export class ModernBertForQuestionAnswering extends ModernBertClassifierModel {
  static readonly architecture: string = 'ModernBertForQuestionAnswering';

  constructor(config: ModernBertConfig) {
    // One column of logits for the start of the answer, one for its end.
    if (config?.numLabels !== 2) throw new RangeError(`ModernBertForQuestionAnswering needs num_labels 2 (start and end logits), got ${config?.numLabels}`);
    super(config, 2);
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput {
    const out = this.model.forward(inputs);
    const [start, end] = this.classify(out.lastHiddenState).split(1, -1) as [Tensor, Tensor];
    const startLogits = start.squeeze(-1).contiguous();
    const endLogits = end.squeeze(-1).contiguous();
    let loss: Tensor | null = null;
    if (inputs.startPositions && inputs.endPositions) {
      // Positions outside the sequence are clamped to its length and ignored, as transformers does.
      const ignored = startLogits.shape[1]!;
      const s = inputs.startPositions.view(-1).clamp(0, ignored);
      const e = inputs.endPositions.view(-1).clamp(0, ignored);
      loss = crossEntropy(startLogits, s, { ignoreIndex: ignored }).add(crossEntropy(endLogits, e, { ignoreIndex: ignored })).div(2);
    }
    return { loss, startLogits, endLogits, ...extras(out) };
  }
}

