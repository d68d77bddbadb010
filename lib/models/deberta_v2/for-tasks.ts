// Fine-tuning heads: sequence classification (through the context pooler), token
// classification and extractive question answering, with transformers' losses.
import { Dropout } from '../../nn/activations.js';
import type { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import type { EncoderInputs, QuestionAnsweringOutput, TaskOutput, WithLoss } from '../tasks.js';
import type { DebertaV2Config } from './config.js';
import { DebertaV2Model } from './model.js';
import { ContextPooler } from './pooler.js';
import { DebertaV2PreTrainedModel } from './pretrained.js';
import { encoderExtras } from '../outputs.js';

export type { QuestionAnsweringOutput, TaskOutput } from '../tasks.js';


abstract class DebertaV2TaskModel extends DebertaV2PreTrainedModel {
  readonly deberta: DebertaV2Model;

  constructor(config: DebertaV2Config) {
    super(config);
    this.deberta = this.registerModule('deberta', new DebertaV2Model(config));
  }

  override get basePrefix(): string {
    return 'deberta.';
  }

  get wordEmbeddings(): Embedding {
    return this.deberta.embeddings.wordEmbeddings;
  }
}

export class DebertaV2ForSequenceClassification extends DebertaV2TaskModel {
  static readonly architecture: string = 'DebertaV2ForSequenceClassification';
  readonly pooler: ContextPooler;
  readonly classifier: Linear;
  readonly dropout: Dropout;

  constructor(config: DebertaV2Config) {
    super(config);
    const c = config.fields;
    this.pooler = this.registerModule('pooler', new ContextPooler(config));
    this.classifier = this.registerModule('classifier', new Linear(c.hidden_size, config.numLabels));
    this.dropout = this.registerModule('dropout', new Dropout(c.cls_dropout ?? c.hidden_dropout_prob));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.deberta.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(this.pooler.forward(out.lastHiddenState)));
    const labels = inputs.labels;
    if (!labels) return { loss: null, logits, ...encoderExtras(out) };
    return { ...this.#loss(logits, labels), ...encoderExtras(out) };
  }

  /**
   * transformers' DeBERTa losses. With problem_type unset (and, unlike BERT, not remembered):
   * one label is regression on the flattened logits (returned flattened, as there); a label
   * per sequence is cross-entropy over the sequences whose label is not negative (0 when none
   * is); a row of label weights per sequence is soft cross-entropy.
   */
  #loss(logits: Tensor, labels: Tensor): { loss: Tensor; logits: Tensor } {
    const n = this.config.numLabels;
    const float = (t: Tensor) => t.to({ dtype: logits.dtype });
    switch (this.config.fields.problem_type) {
      case 'regression':
        return { loss: n === 1 ? mseLoss(logits.squeeze(), float(labels.squeeze())) : mseLoss(logits, float(labels)), logits };
      case 'single_label_classification':
        return { loss: crossEntropy(logits.view(-1, n), labels.view(-1)), logits };
      case 'multi_label_classification':
        return { loss: binaryCrossEntropyWithLogits(logits, float(labels)), logits };
      case null:
        break;
    }
    if (n === 1) {
      const flat = logits.view(-1);
      return { loss: mseLoss(flat, float(labels.view(-1))), logits: flat };
    }
    if (labels.dim() === 1 || labels.shape[labels.dim() - 1] === 1) {
      const flat = labels.view(-1);
      const labelled = flat.ge(0);
      if (!(labelled.any().item() as boolean)) return { loss: logits.sum().mul(0), logits };
      return { loss: crossEntropy(logits.index([labelled]).float(), flat.index([labelled]).long()), logits };
    }
    return { loss: logits.logSoftmax(-1).mul(float(labels)).sum(-1).mean().neg(), logits };
  }
}

export class DebertaV2ForTokenClassification extends DebertaV2TaskModel {
  static readonly architecture: string = 'DebertaV2ForTokenClassification';
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(config: DebertaV2Config) {
    super(config);
    this.dropout = this.registerModule('dropout', new Dropout(config.fields.hidden_dropout_prob));
    this.classifier = this.registerModule('classifier', new Linear(config.fields.hidden_size, config.numLabels));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
    const out = this.deberta.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState));
    const loss = inputs.labels ? crossEntropy(logits.view(-1, this.config.numLabels), inputs.labels.view(-1)) : null;
    return { loss, logits, ...encoderExtras(out) };
  }
}

export class DebertaV2ForQuestionAnswering extends DebertaV2TaskModel {
  static readonly architecture: string = 'DebertaV2ForQuestionAnswering';
  readonly qaOutputs: Linear;

  constructor(config: DebertaV2Config) {
    super(config);
    // One column of logits for the start of the answer, one for its end.
    if (config.numLabels !== 2) throw new RangeError(`DebertaV2ForQuestionAnswering needs num_labels 2 (start and end logits), got ${config.numLabels}`);
    this.qaOutputs = this.registerModule('qa_outputs', new Linear(config.fields.hidden_size, config.numLabels));
    this.initWeights();
  }

  forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput {
    const out = this.deberta.forward(inputs);
    const [start, end] = this.qaOutputs.forward(out.lastHiddenState).split(1, -1) as [Tensor, Tensor];
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
    return { loss, startLogits, endLogits, ...encoderExtras(out) };
  }
}
