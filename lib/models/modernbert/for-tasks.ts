// Fine-tuning heads: each reads the prediction head's output (dense, act, norm), then dropout
// and a classifier. Sequences are pooled by their first token or by the mean over real tokens.
import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { problemTypeFor, sequenceClassificationLoss, spanLoss, tokenClassificationLoss } from '../task-losses.js';
import type { Tensor } from '../../torch/tensor.js';
import type { ProblemType } from '../pretrained-config.js';
import type { EncoderInputs, QuestionAnsweringOutput, TaskOutput, WithLoss } from '../tasks.js';
import type { ModernBertConfig } from './config.js';
import { ModernBertWithEncoder } from './with-encoder.js';
import { encoderExtras } from '../outputs.js';


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
    return problemTypeFor(this.config, labels);
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.model.forward(inputs);
    const logits = this.classify(this.pool(out.lastHiddenState, inputs.attentionMask));
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : null;
    return { loss, logits, ...encoderExtras(out) };
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
    const loss = inputs.labels ? tokenClassificationLoss(this.config, logits, inputs.labels) : null;
    return { loss, logits, ...encoderExtras(out) };
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
    const loss = inputs.startPositions && inputs.endPositions ? spanLoss(startLogits, endLogits, inputs.startPositions, inputs.endPositions) : null;
    return { loss, startLogits, endLogits, ...encoderExtras(out) };
  }
}

