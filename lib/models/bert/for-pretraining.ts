import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { crossEntropy } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BertConfig } from './config.js';
import { BertLMPredictionHead } from './heads.js';
import { BertWithMlmHead, mlmHead } from './mlm.js';
import { BertModel, type BertInputs, type BertModelOutput, type WithLoss } from './model.js';

export interface PreTrainingInputs extends BertInputs {
  /** Original ids at masked positions, -100 elsewhere. */
  labels?: Tensor | null;
  /** 0: B follows A, 1: B is random. */
  nextSentenceLabel?: Tensor | null;
  /** With labels, run the MLM head on masked positions only (default true). */
  maskedPositionsOnly?: boolean;
}

export interface PreTrainingOutput extends Omit<BertModelOutput, 'poolerOutput' | 'lastHiddenState'> {
  loss: Tensor | null;
  mlmLoss: Tensor | null;
  nspLoss: Tensor | null;
  /** The loss's parts by name, which the Trainer logs as mlmLoss and nspLoss. */
  losses: { mlm: Tensor | null; nsp: Tensor | null };
  predictionLogits: Tensor;
  seqRelationshipLogits: Tensor;
}

class BertPreTrainingHeads extends Module {
  readonly predictions: BertLMPredictionHead;
  readonly seqRelationship: Linear;

  constructor(config: BertConfig, wordEmbeddings: BertModel['embeddings']['wordEmbeddings']) {
    super();
    this.predictions = this.registerModule('predictions', new BertLMPredictionHead(config, wordEmbeddings.weight));
    this.seqRelationship = this.registerModule('seq_relationship', new Linear(config.fields.hidden_size, 2));
  }
}

/** BERT with both pretraining heads: loss = MLM loss + NSP loss. */
export class BertForPreTraining extends BertWithMlmHead {
  static readonly architecture: string = 'BertForPreTraining';
  readonly bert: BertModel;
  readonly cls: BertPreTrainingHeads;

  constructor(config: BertConfig) {
    super(config);
    this.bert = this.registerModule('bert', new BertModel(config));
    this.cls = this.registerModule('cls', new BertPreTrainingHeads(config, this.bert.embeddings.wordEmbeddings));
    this.initWeights();
  }

  get lmHead(): BertLMPredictionHead {
    return this.cls.predictions;
  }

  forward(inputs: PreTrainingInputs & { labels: Tensor; nextSentenceLabel: Tensor }): WithLoss<PreTrainingOutput> & { mlmLoss: Tensor; nspLoss: Tensor };
  forward(inputs: PreTrainingInputs): PreTrainingOutput;
  forward(inputs: PreTrainingInputs): PreTrainingOutput {
    const out = this.bert.forward(inputs);
    const mlm = mlmHead(this.cls.predictions, out.lastHiddenState, inputs.labels, inputs.maskedPositionsOnly ?? true, this.config.fields.vocab_size);
    const seqRelationshipLogits = this.cls.seqRelationship.forward(out.poolerOutput!);
    const nspLoss = inputs.nextSentenceLabel ? crossEntropy(seqRelationshipLogits.view(-1, 2), inputs.nextSentenceLabel.view(-1)) : null;
    const loss = mlm.loss && nspLoss ? mlm.loss.add(nspLoss) : null;
    return {
      loss,
      mlmLoss: mlm.loss,
      nspLoss,
      losses: { mlm: mlm.loss, nsp: nspLoss },
      predictionLogits: mlm.logits,
      seqRelationshipLogits,
      ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}),
      ...(out.attentions ? { attentions: out.attentions } : {}),
    };
  }
}
