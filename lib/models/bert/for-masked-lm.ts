import type { Embedding } from '../../nn/embedding.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BertConfig } from './config.js';
import { BertLMPredictionHead } from './heads.js';
import { maskedLMOutput } from '../masked-lm.js';
import { BertWithMlmHead } from './mlm.js';
import { BertModel, type BertInputs, type BertModelOutput, type WithLoss } from './model.js';

export interface MaskedLMInputs extends BertInputs {
  labels?: Tensor | null;
  maskedPositionsOnly?: boolean;
}

export interface MaskedLMOutput extends Omit<BertModelOutput, 'poolerOutput' | 'lastHiddenState'> {
  loss: Tensor | null;
  logits: Tensor;
}

/** The MLM head alone, under 'predictions' (transformers' BertOnlyMLMHead). */
export class BertOnlyMLMHead extends Module {
  readonly predictions: BertLMPredictionHead;

  constructor(config: BertConfig, wordEmbeddings: Embedding) {
    super();
    this.predictions = this.registerModule('predictions', new BertLMPredictionHead(config, wordEmbeddings.weight));
  }
}

/** BERT with the MLM head only (no pooler), for MLM-only pretraining and domain adaptation. */
export class BertForMaskedLM extends BertWithMlmHead {
  static readonly architecture: string = 'BertForMaskedLM';
  readonly bert: BertModel;
  readonly cls: BertOnlyMLMHead;

  constructor(config: BertConfig) {
    super(config);
    this.bert = this.registerModule('bert', new BertModel(config, { addPoolingLayer: false }));
    this.cls = this.registerModule('cls', new BertOnlyMLMHead(config, this.bert.embeddings.wordEmbeddings));
    this.initWeights();
  }

  get lmHead(): BertLMPredictionHead {
    return this.cls.predictions;
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    return maskedLMOutput(this.cls.predictions, this.bert.forward(inputs), inputs, this.config.fields.vocab_size);
  }
}
