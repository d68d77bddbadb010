// Fine-tuning heads: sequence classification (through the context pooler), token
// classification and extractive question answering, with transformers' losses.
import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import type { EncoderInputs, TaskOutput, WithLoss } from '../tasks.js';
import type { DebertaV2Config } from './config.js';
import { DebertaV2HeadModel } from './model.js';
import { ContextPooler } from './pooler.js';
import { withQuestionAnswering, withTokenClassification } from '../task-heads.js';
import { encoderExtras } from '../outputs.js';

export type { QuestionAnsweringOutput, TaskOutput } from '../tasks.js';

export class DebertaV2ForSequenceClassification extends DebertaV2HeadModel {
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

/** Token classification with hidden_dropout_prob before the classifier, as transformers' DeBERTa-v2 has it. */
export class DebertaV2ForTokenClassification extends withTokenClassification(DebertaV2HeadModel, (m) => m.deberta, { dropout: (f) => f.hidden_dropout_prob }) {
  static readonly architecture: string = 'DebertaV2ForTokenClassification';
}

export class DebertaV2ForQuestionAnswering extends withQuestionAnswering(DebertaV2HeadModel, (m) => m.deberta) {
  static readonly architecture: string = 'DebertaV2ForQuestionAnswering';
}
