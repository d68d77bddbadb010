// DebertaV2ForMaskedLM with transformers' default (legacy) head, cls.predictions: BERT's MLM
// head (transform, then a decoder tied to the word embeddings, with cls.predictions.bias).
import type { Embedding } from '../../nn/embedding.js';
import { zeros_ } from '../../nn/init.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BertConfig } from '../bert/config.js';
import { BertLMPredictionHead } from '../bert/heads.js';
import { mlmHead } from '../masked-lm.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import { bertHeadConfig } from './bert-blocks.js';
import type { DebertaV2Config } from './config.js';
import { DebertaV2Model } from './model.js';
import { DebertaV2PreTrainedModel } from './pretrained.js';

export type { MaskedLMInputs, MaskedLMOutput } from '../tasks.js';

/** transformers' LegacyDebertaV2OnlyMLMHead: the prediction head under 'predictions'. */
export class DebertaV2OnlyMLMHead extends Module {
  readonly predictions: BertLMPredictionHead;

  constructor(config: BertConfig, wordEmbeddings: Embedding) {
    super();
    this.predictions = this.registerModule('predictions', new BertLMPredictionHead(config, wordEmbeddings.weight));
  }
}

export class DebertaV2ForMaskedLM extends DebertaV2PreTrainedModel {
  static readonly architecture: string = 'DebertaV2ForMaskedLM';
  readonly deberta: DebertaV2Model;
  readonly cls: DebertaV2OnlyMLMHead;

  constructor(config: DebertaV2Config) {
    super(config);
    const c = config.fields;
    if (c.legacy !== true) {
      // transformers 5 builds lm_predictions.lm_head for it but cannot load a folder it saved with it.
      throw new RangeError('DebertaV2ForMaskedLM: legacy false (the lm_predictions.lm_head head) is not supported; use legacy true, the default (cls.predictions)');
    }
    if (config.embeddingSize !== c.hidden_size) {
      throw new RangeError(`DebertaV2ForMaskedLM: embedding_size ${c.embedding_size} different from hidden_size ${c.hidden_size} is not supported by the MLM head (the encoder and the other heads support it)`);
    }
    this.deberta = this.registerModule('deberta', new DebertaV2Model(config));
    this.cls = this.registerModule('cls', new DebertaV2OnlyMLMHead(bertHeadConfig(config), this.deberta.embeddings.wordEmbeddings));
    this.initWeights();
  }

  get lmHead(): BertLMPredictionHead {
    return this.cls.predictions;
  }

  override get basePrefix(): string {
    return 'deberta.';
  }

  /** The replaced-token-detection head of DeBERTa-v3 checkpoints, which transformers also skips. */
  protected override get ignoredOnLoad(): RegExp[] {
    return [...super.ignoredOnLoad, /^mask_predictions\./];
  }

  /** transformers 4 saved an untied head's bias only as cls.predictions.bias. */
  override get checkpointFallbacks(): Record<string, string> {
    return this.lmHead.tiedToEmbeddings ? {} : { 'cls.predictions.decoder.bias': 'cls.predictions.bias' };
  }

  override get tiedWeights(): Record<string, string> {
    if (!this.lmHead.tiedToEmbeddings) return {};
    return { 'cls.predictions.decoder.weight': 'deberta.embeddings.word_embeddings.weight', 'cls.predictions.decoder.bias': 'cls.predictions.bias' };
  }

  get wordEmbeddings(): Embedding {
    return this.deberta.embeddings.wordEmbeddings;
  }

  protected override initHeads(): void {
    zeros_(this.lmHead.bias);
  }

  protected override retie(): void {
    this.lmHead.tie(this.wordEmbeddings.weight);
  }

  protected override resizeHeads(_old: number, n: number, meanResizing: boolean): void {
    this.resizeTiedLmHead(this.lmHead, n, meanResizing);
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.deberta.forward(inputs);
    const mlm = mlmHead(this.lmHead, out.lastHiddenState, inputs.labels, inputs.maskedPositionsOnly ?? true, this.config.fields.vocab_size);
    return {
      loss: mlm.loss,
      logits: mlm.logits,
      ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}),
      ...(out.attentions ? { attentions: out.attentions } : {}),
    };
  }
}
