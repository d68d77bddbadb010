// Fine-tuning heads on the discriminator (or the generator): sequence classification
// (single-label, multi-label, regression), token classification, extractive question answering.
import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import type { Tensor } from '../../torch/tensor.js';
import type { EncoderInputs, QuestionAnsweringOutput, TaskOutput, WithLoss } from '../tasks.js';
import type { ElectraConfig } from './config.js';
import { ElectraClassificationHead } from './heads.js';
import { ElectraHeadModel } from './head-model.js';
import { encoderExtras } from '../outputs.js';
import { sequenceClassificationLoss, spanLoss, tokenClassificationLoss } from '../task-losses.js';

export class ElectraForSequenceClassification extends ElectraHeadModel {
  static readonly architecture: string = 'ElectraForSequenceClassification';
  readonly classifier: ElectraClassificationHead;

  constructor(config: ElectraConfig) {
    super(config);
    this.classifier = this.registerModule('classifier', new ElectraClassificationHead(config));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.electra.forward(inputs);
    const logits = this.classifier.forward(out.lastHiddenState);
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : null;
    return { loss, logits, ...encoderExtras(out) };
  }
}

export class ElectraForTokenClassification extends ElectraHeadModel {
  static readonly architecture: string = 'ElectraForTokenClassification';
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(config: ElectraConfig) {
    super(config);
    const c = config.fields;
    this.dropout = this.registerModule('dropout', new Dropout(c.classifier_dropout ?? c.hidden_dropout_prob));
    this.classifier = this.registerModule('classifier', new Linear(c.hidden_size, config.numLabels));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.electra.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState));
    const loss = inputs.labels ? tokenClassificationLoss(this.config, logits, inputs.labels) : null;
    return { loss, logits, ...encoderExtras(out) };
  }
}

export class ElectraForQuestionAnswering extends ElectraHeadModel {
  static readonly architecture: string = 'ElectraForQuestionAnswering';
  readonly qaOutputs: Linear;

  constructor(config: ElectraConfig) {
    super(config);
    // One column of logits for the start of the answer, one for its end.
    if (config.numLabels !== 2) throw new RangeError(`ElectraForQuestionAnswering needs num_labels 2 (start and end logits), got ${config.numLabels}`);
    this.qaOutputs = this.registerModule('qa_outputs', new Linear(config.fields.hidden_size, 2));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput {
    const out = this.electra.forward(inputs);
    const [start, end] = this.qaOutputs.forward(out.lastHiddenState).split(1, -1) as [Tensor, Tensor];
    const startLogits = start.squeeze(-1).contiguous();
    const endLogits = end.squeeze(-1).contiguous();
    const loss = inputs.startPositions && inputs.endPositions ? spanLoss(startLogits, endLogits, inputs.startPositions, inputs.endPositions) : null;
    return { loss, startLogits, endLogits, ...encoderExtras(out) };
  }
}
