// Fine-tuning heads: sequence classification (single-label, multi-label, regression) on the
// first token, token classification, and extractive question answering.
import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import type { Tensor } from '../../torch/tensor.js';
import type {
  EncoderInputs,
  QuestionAnsweringModel,
  QuestionAnsweringOutput,
  SequenceClassifier,
  TaskOutput,
  TokenClassifier,
  WithLoss,
} from '../tasks.js';
import type { DistilBertConfig } from './config.js';
import type { DistilBertEmbeddings } from './embeddings.js';
import { DistilBertModel } from './model.js';
import { DistilBertPreTrainedModel } from './pretrained.js';
import { sequenceClassificationLoss, spanLoss } from '../task-losses.js';
import { withTokenClassification } from '../task-heads.js';
import { encoderExtras } from '../outputs.js';

/** A head over the encoder, kept under 'distilbert.' as in transformers. */
abstract class DistilBertTaskModel extends DistilBertPreTrainedModel {
  readonly distilbert: DistilBertModel;

  constructor(config: DistilBertConfig) {
    super(config);
    this.distilbert = this.registerModule('distilbert', new DistilBertModel(config));
  }

  get embeddings(): DistilBertEmbeddings {
    return this.distilbert.embeddings;
  }

  override get basePrefix(): string {
    return 'distilbert.';
  }
}

/** pre_classifier → ReLU → dropout (seq_classif_dropout) → classifier, on the first token. */
export class DistilBertForSequenceClassification extends DistilBertTaskModel implements SequenceClassifier {
  static readonly architecture: string = 'DistilBertForSequenceClassification';
  readonly preClassifier: Linear;
  readonly classifier: Linear;
  readonly dropout: Dropout;

  constructor(config: DistilBertConfig) {
    super(config);
    const c = config.fields;
    this.preClassifier = this.registerModule('pre_classifier', new Linear(c.dim, c.dim));
    this.classifier = this.registerModule('classifier', new Linear(c.dim, config.numLabels));
    this.dropout = this.registerModule('dropout', new Dropout(c.seq_classif_dropout));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.distilbert.forward(inputs);
    const pooled = this.dropout.forward(this.preClassifier.forward(out.lastHiddenState.select(1, 0)).relu());
    const logits = this.classifier.forward(pooled);
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : null;
    return { loss, logits, ...encoderExtras(out) };
  }
}

/** dropout (the config's dropout) → classifier, on every token. */
export class DistilBertForTokenClassification extends withTokenClassification(DistilBertTaskModel, (m) => m.distilbert, { dropout: (f) => f.dropout, width: (f) => f.dim }) implements TokenClassifier {
  static readonly architecture: string = 'DistilBertForTokenClassification';
}

/** dropout (qa_dropout) → qa_outputs: start and end logits per token. */
export class DistilBertForQuestionAnswering extends DistilBertTaskModel implements QuestionAnsweringModel {
  static readonly architecture: string = 'DistilBertForQuestionAnswering';
  readonly qaOutputs: Linear;
  readonly dropout: Dropout;

  constructor(config: DistilBertConfig) {
    super(config);
    // One column of logits for the start of the answer, one for its end.
    if (config.numLabels !== 2) throw new RangeError(`DistilBertForQuestionAnswering needs num_labels 2 (start and end logits), got ${config.numLabels}`);
    this.qaOutputs = this.registerModule('qa_outputs', new Linear(config.fields.dim, config.numLabels));
    this.dropout = this.registerModule('dropout', new Dropout(config.fields.qa_dropout));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput {
    const out = this.distilbert.forward(inputs);
    const [start, end] = this.qaOutputs.forward(this.dropout.forward(out.lastHiddenState)).split(1, -1) as [Tensor, Tensor];
    const startLogits = start.squeeze(-1).contiguous();
    const endLogits = end.squeeze(-1).contiguous();
    const loss = inputs.startPositions && inputs.endPositions ? spanLoss(startLogits, endLogits, inputs.startPositions, inputs.endPositions) : null;
    return { loss, startLogits, endLogits, ...encoderExtras(out) };
  }
}
