// The fine-tuning heads that families share, as transformers' modular files share them: a
// family's head model (the base model under its prefix) plus the head's modules, named as
// transformers names them, over the base model's output. RoBERTa's and ELECTRA's heads are
// the same three; BERT's and DeBERTa-v2's token classification and question answering too.
//   class RobertaForTokenClassification extends withTokenClassification(RobertaPreTrainedModel, (m) => m.roberta) {...}
// Each returns an abstract class that takes the head model's config: the family's class names its architecture.
import { Dropout } from '../nn/activations.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../torch/tensor.js';
import { encoderExtras } from './outputs.js';
import type { PreTrainedModel } from './pretrained-model.js';
import { sequenceClassificationLoss, spanLoss, tokenClassificationLoss } from './task-losses.js';
import type { BaseModelOutput, EncoderInputs, QuestionAnsweringOutput, TaskOutput, WithLoss } from './tasks.js';

/** A family's head model class: its constructor builds the base model. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HeadModelClass = abstract new (...args: any[]) => PreTrainedModel;

/** A head model class with a head's members added (what the functions here return): its constructor takes what the head model's does. */
export type WithHead<B extends HeadModelClass, Members> = Omit<B, 'prototype'> & (abstract new (...args: ConstructorParameters<B>) => InstanceType<B> & Members);

export interface SequenceClassificationHead<H extends Module> {
  readonly classifier: H;
  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
}

export interface TokenClassificationHead {
  readonly dropout: Dropout;
  readonly classifier: Linear;
  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
}

export interface QuestionAnsweringHead {
  readonly qaOutputs: Linear;
  forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
}

/** The base model a head reads, from the head model: (m) => m.roberta. */
export type BaseOf<B extends HeadModelClass> = (model: InstanceType<B>) => { forward(inputs: EncoderInputs): BaseModelOutput };

/** The config fields these heads read, under BERT's names. */
export interface HeadFields {
  hidden_size: number;
  hidden_dropout_prob: number;
  classifier_dropout?: number | null;
}

function headFields(model: PreTrainedModel): HeadFields {
  return model.config.fields as unknown as HeadFields;
}

/** transformers' classifier dropout: classifier_dropout, or hidden_dropout_prob when unset. */
export function classifierDropout(fields: HeadFields): number {
  return fields.classifier_dropout ?? fields.hidden_dropout_prob;
}

/** A sentence classifier module on the last hidden state (RobertaClassificationHead, ElectraClassificationHead). */
export interface ClassifierModule extends Module {
  forward(lastHiddenState: Tensor): Tensor;
}

/** Sequence classification through a family's classifier module, registered as 'classifier', on the last hidden state. */
export function withSequenceClassification<B extends HeadModelClass, H extends ClassifierModule>(Base: B, base: BaseOf<B>, classifier: (config: InstanceType<B>['config']) => H): WithHead<B, SequenceClassificationHead<H>> {
  abstract class ForSequenceClassification extends Base {
    readonly classifier: H;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      this.classifier = this.registerModule('classifier', classifier(this.config));
      this.initWeights();
    }

    forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
    forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
    forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
      const out = base(this as InstanceType<B>).forward(inputs);
      const logits = this.classifier.forward(out.lastHiddenState);
      const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : null;
      return { loss, logits, ...encoderExtras(out) };
    }
  }
  return ForSequenceClassification as unknown as WithHead<B, SequenceClassificationHead<H>>;
}

/** Where a family's fields differ from BERT's names: the dropout probability and the hidden width. */
export interface TokenHeadFields<B extends HeadModelClass> {
  /** Default: classifier_dropout ?? hidden_dropout_prob. */
  dropout?(fields: InstanceType<B>['config']['fields']): number;
  /** Default: hidden_size. */
  width?(fields: InstanceType<B>['config']['fields']): number;
}

/** A label per token: dropout → classifier on every token, cross-entropy over the labelled ones. */
export function withTokenClassification<B extends HeadModelClass>(Base: B, base: BaseOf<B>, fields: TokenHeadFields<B> = {}): WithHead<B, TokenClassificationHead> {
  abstract class ForTokenClassification extends Base {
    readonly dropout: Dropout;
    readonly classifier: Linear;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      const f = headFields(this);
      const own = this.config.fields as InstanceType<B>['config']['fields'];
      this.dropout = this.registerModule('dropout', new Dropout(fields.dropout ? fields.dropout(own) : classifierDropout(f)));
      this.classifier = this.registerModule('classifier', new Linear(fields.width ? fields.width(own) : f.hidden_size, this.config.numLabels));
      this.initWeights();
    }

    forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
    forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
    forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput {
      const out = base(this as InstanceType<B>).forward(inputs);
      const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState));
      const loss = inputs.labels ? tokenClassificationLoss(this.config, logits, inputs.labels) : null;
      return { loss, logits, ...encoderExtras(out) };
    }
  }
  return ForTokenClassification as unknown as WithHead<B, TokenClassificationHead>;
}

/** Extractive question answering: qa_outputs gives start and end logits per token (num_labels must be 2). */
export function withQuestionAnswering<B extends HeadModelClass>(Base: B, base: BaseOf<B>): WithHead<B, QuestionAnsweringHead> {
  abstract class ForQuestionAnswering extends Base {
    readonly qaOutputs: Linear;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      const n = this.config.numLabels;
      // One column of logits for the start of the answer, one for its end.
      if (n !== 2) throw new RangeError(`${this.modelClass.architecture} needs num_labels 2 (start and end logits), got ${n}`);
      this.qaOutputs = this.registerModule('qa_outputs', new Linear(headFields(this).hidden_size, n));
      this.initWeights();
    }

    forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
    forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
    forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput {
      const out = base(this as InstanceType<B>).forward(inputs);
      const [start, end] = this.qaOutputs.forward(out.lastHiddenState).split(1, -1) as [Tensor, Tensor];
      const startLogits = start.squeeze(-1).contiguous();
      const endLogits = end.squeeze(-1).contiguous();
      const loss = inputs.startPositions && inputs.endPositions ? spanLoss(startLogits, endLogits, inputs.startPositions, inputs.endPositions) : null;
      return { loss, startLogits, endLogits, ...encoderExtras(out) };
    }
  }
  return ForQuestionAnswering as unknown as WithHead<B, QuestionAnsweringHead>;
}
