// What training, evaluation, serving and the CLI may know of a model: the task it does, as
// a forward contract over tensors. Every family's heads satisfy these; nothing outside
// lib/models needs to know which family it holds.
import type { Tensor } from '../torch/tensor.js';
import type { PreTrainedModel } from './pretrained-model.js';

/** What every encoder takes. Families without segments ignore tokenTypeIds. */
export interface EncoderInputs {
  /** Token ids, (batch, length), int64 or int32. */
  inputIds: Tensor;
  /** 1 for tokens to attend to, 0 for padding; (batch, length). */
  attentionMask?: Tensor | null;
  /** Segment ids (0 for sentence A, 1 for B); (batch, length). */
  tokenTypeIds?: Tensor | null;
  positionIds?: Tensor | null;
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
}

/** What every head returns beside its logits when asked. */
export interface EncoderExtras {
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

/**
 * A head's output when its labels were given: the loss is then always computed, so the
 * heads' forward overloads return this and `out.loss.backward()` type-checks as written.
 */
export type WithLoss<O extends { loss: Tensor | null }> = O & { loss: Tensor };

export interface BaseModelOutput extends EncoderExtras {
  lastHiddenState: Tensor;
  /** The pooler's output where the family has one (BERT), else null. */
  poolerOutput: Tensor | null;
}

/** The bare encoder: AutoModel. */
export interface EncoderModel extends PreTrainedModel {
  forward(inputs: EncoderInputs): BaseModelOutput;
}

export interface MaskedLMInputs extends EncoderInputs {
  /** Original ids at masked positions, -100 elsewhere. */
  labels?: Tensor | null;
  /** With labels, run the MLM head on masked positions only (default true). */
  maskedPositionsOnly?: boolean;
}

export interface MaskedLMOutput extends EncoderExtras {
  loss: Tensor | null;
  /**
   * Vocabulary logits. Without labels (or with maskedPositionsOnly: false): (batch, length,
   * vocab). With labels: (masked tokens, vocab), one row per position whose label is not -100.
   */
  logits: Tensor;
}

/** A masked language model: AutoModelForMaskedLM. */
export interface MaskedLanguageModel extends PreTrainedModel {
  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
}

export interface PreTrainingInputs extends MaskedLMInputs {
  /** 0: B follows A, 1: B is random (families with next sentence prediction). */
  nextSentenceLabel?: Tensor | null;
}

export interface PreTrainingOutput extends EncoderExtras {
  loss: Tensor | null;
  mlmLoss: Tensor | null;
  /** The next-sentence loss, for families that pretrain with one. */
  nspLoss: Tensor | null;
  /** The loss's parts by name, which the Trainer logs as mlmLoss and nspLoss. */
  losses: { mlm: Tensor | null; nsp: Tensor | null };
  predictionLogits: Tensor;
  seqRelationshipLogits: Tensor | null;
}

/** The family's pretraining model: AutoModelForPreTraining (BERT: MLM plus NSP). */
export interface PreTrainingModel extends PreTrainedModel {
  forward(inputs: PreTrainingInputs): PreTrainingOutput;
}

export interface TaskOutput extends EncoderExtras {
  loss: Tensor | null;
  logits: Tensor;
}

/** Single-label, multi-label or regression over whole sequences: AutoModelForSequenceClassification. */
export interface SequenceClassifier extends PreTrainedModel {
  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
}

/** A label per token: AutoModelForTokenClassification. */
export interface TokenClassifier extends PreTrainedModel {
  forward(inputs: EncoderInputs & { labels: Tensor }): WithLoss<TaskOutput>;
  forward(inputs: EncoderInputs & { labels?: Tensor | null }): TaskOutput;
}

export interface QuestionAnsweringOutput extends EncoderExtras {
  loss: Tensor | null;
  startLogits: Tensor;
  endLogits: Tensor;
}

/** Extractive question answering, start and end logits: AutoModelForQuestionAnswering. */
export interface QuestionAnsweringModel extends PreTrainedModel {
  forward(inputs: EncoderInputs & { startPositions: Tensor; endPositions: Tensor }): WithLoss<QuestionAnsweringOutput>;
  forward(inputs: EncoderInputs & { startPositions?: Tensor | null; endPositions?: Tensor | null }): QuestionAnsweringOutput;
}

/** The tasks a family may serve, by the names the registry and the Auto classes use. */
export interface TaskModels {
  base: EncoderModel;
  preTraining: PreTrainingModel;
  maskedLM: MaskedLanguageModel;
  sequenceClassification: SequenceClassifier;
  tokenClassification: TokenClassifier;
  questionAnswering: QuestionAnsweringModel;
}

export type Task = keyof TaskModels;
