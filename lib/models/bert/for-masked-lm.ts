import { Module } from '../../nn/module.js';
import type { Embedding } from '../../nn/embedding.js';
import { zeros_ } from '../../nn/init.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BertConfig } from './config.js';
import { BertLMPredictionHead } from './heads.js';
import { mlmHead } from './mlm.js';
import { BertModel, type BertInputs, type BertModelOutput } from './model.js';
import { BertPreTrainedModel } from './pretrained.js';

export interface MaskedLMInputs extends BertInputs {
  labels?: Tensor | null;
  maskedPositionsOnly?: boolean;
}

export interface MaskedLMOutput extends Omit<BertModelOutput, 'poolerOutput' | 'lastHiddenState'> {
  loss: Tensor | null;
  logits: Tensor;
}

class BertOnlyMLMHead extends Module {
  readonly predictions: BertLMPredictionHead;

  constructor(config: BertConfig, wordEmbeddings: Embedding) {
    super();
    this.predictions = this.registerModule('predictions', new BertLMPredictionHead(config, wordEmbeddings.weight));
  }
}

/** BERT with the MLM head only (no pooler), for MLM-only pretraining and domain adaptation. */
export class BertForMaskedLM extends BertPreTrainedModel {
  readonly bert: BertModel;
  readonly cls: BertOnlyMLMHead;

  constructor(config: BertConfig) {
    super(config);
    this.bert = this.registerModule('bert', new BertModel(config, { addPoolingLayer: false }));
    this.cls = this.registerModule('cls', new BertOnlyMLMHead(config, this.bert.embeddings.wordEmbeddings));
    this.initWeights();
  }

  override get basePrefix(): string {
    return 'bert.';
  }

  override get tiedKeys(): string[] {
    return ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias'];
  }

  get wordEmbeddings(): Embedding {
    return this.bert.embeddings.wordEmbeddings;
  }

  protected override initHeads(): void {
    zeros_(this.cls.predictions.bias);
  }

  protected override retie(): void {
    this.cls.predictions.tie(this.wordEmbeddings.weight);
  }

  protected override resizeHeads(_old: number, n: number): void {
    this.cls.predictions.setBias(BertPreTrainedModel.resizedBias(this.cls.predictions.bias, n), this.wordEmbeddings.weight);
  }

  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.bert.forward(inputs);
    const mlm = mlmHead(this.cls.predictions, out.lastHiddenState, inputs.labels, inputs.maskedPositionsOnly ?? true, this.config.fields.vocab_size);
    return {
      loss: mlm.loss,
      logits: mlm.logits,
      ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}),
      ...(out.attentions ? { attentions: out.attentions } : {}),
    };
  }
}
