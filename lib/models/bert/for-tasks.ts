// Fine-tuning heads: next sentence prediction, sequence classification (single-label,
// multi-label, regression), token classification and extractive question answering.
import { Dropout } from '../../nn/activations.js';
import type { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { crossEntropy } from '../../torch/functional.js';
import { problemTypeFor, sequenceClassificationLoss } from '../task-losses.js';
import { withQuestionAnswering, withTokenClassification } from '../task-heads.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BertConfig, ProblemType } from './config.js';
import { BertModel, type BertInputs, type BertModelOutput, type WithLoss } from './model.js';
import { BertPreTrainedModel } from './pretrained.js';
import { encoderExtras } from '../outputs.js';

export interface TaskOutput extends Omit<BertModelOutput, 'poolerOutput' | 'lastHiddenState'> {
  loss: Tensor | null;
  logits: Tensor;
}

abstract class BertTaskModel extends BertPreTrainedModel {
  readonly bert: BertModel;

  constructor(config: BertConfig, addPoolingLayer: boolean) {
    super(config);
    this.bert = this.registerModule('bert', new BertModel(config, { addPoolingLayer }));
  }

  override get basePrefix(): string {
    return 'bert.';
  }

  get wordEmbeddings(): Embedding {
    return this.bert.embeddings.wordEmbeddings;
  }
}

class BertOnlyNSPHead extends Module {
  readonly seqRelationship: Linear;

  constructor(config: BertConfig) {
    super();
    this.seqRelationship = this.registerModule('seq_relationship', new Linear(config.fields.hidden_size, 2));
  }
}

export class BertForNextSentencePrediction extends BertTaskModel {
  static readonly architecture: string = 'BertForNextSentencePrediction';
  readonly cls: BertOnlyNSPHead;

  constructor(config: BertConfig) {
    super(config, true);
    this.cls = this.registerModule('cls', new BertOnlyNSPHead(config));
    this.initWeights();
  }

  forward(inputs: BertInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: BertInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: BertInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.bert.forward(inputs);
    const logits = this.cls.seqRelationship.forward(out.poolerOutput!);
    const loss = inputs.labels ? crossEntropy(logits.view(-1, 2), inputs.labels.view(-1)) : null;
    return { loss, logits, ...encoderExtras(out) };
  }
}

export class BertForSequenceClassification extends BertTaskModel {
  static readonly architecture: string = 'BertForSequenceClassification';
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(config: BertConfig) {
    super(config, true);
    const c = config.fields;
    this.dropout = this.registerModule('dropout', new Dropout(c.classifier_dropout ?? c.hidden_dropout_prob));
    this.classifier = this.registerModule('classifier', new Linear(c.hidden_size, config.numLabels));
    this.initWeights();
  }

  /** As transformers decides it when problem_type is unset. */
  problemType(labels: Tensor): ProblemType {
    return problemTypeFor(this.config, labels);
  }

  forward(inputs: BertInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: BertInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: BertInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.bert.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.poolerOutput!));
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : null;
    return { loss, logits, ...encoderExtras(out) };
  }
}

export class BertForTokenClassification extends withTokenClassification(BertTaskModel, (m) => m.bert) {
  static readonly architecture: string = 'BertForTokenClassification';

  constructor(config: BertConfig) {
    super(config, false);
  }
}

export interface QuestionAnsweringOutput extends Omit<BertModelOutput, 'poolerOutput' | 'lastHiddenState'> {
  loss: Tensor | null;
  startLogits: Tensor;
  endLogits: Tensor;
}

export class BertForQuestionAnswering extends withQuestionAnswering(BertTaskModel, (m) => m.bert) {
  static readonly architecture: string = 'BertForQuestionAnswering';

  constructor(config: BertConfig) {
    super(config, false);
  }
}
