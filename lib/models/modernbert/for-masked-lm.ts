import { Linear } from '../../nn/linear.js';
import { Parameter } from '../../nn/parameter.js';
import { zeros_ } from '../../nn/init.js';
import type { Tensor } from '../../torch/tensor.js';
import { mlmHead } from '../masked-lm.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import type { ModernBertConfig } from './config.js';
import { ModernBertPreTrainedModel } from './pretrained.js';
import { ModernBertWithEncoder } from './with-encoder.js';

/**
 * ModernBERT with its MLM head: head (dense, act, norm), then the decoder, whose weight is the
 * token embeddings (unless tie_word_embeddings is false) and whose bias is its own.
 */
export class ModernBertForMaskedLM extends ModernBertWithEncoder {
  static readonly architecture: string = 'ModernBertForMaskedLM';
  readonly decoder: Linear;

  constructor(config: ModernBertConfig) {
    super(config);
    const c = config.fields;
    this.decoder = this.registerModule('decoder', new Linear(c.hidden_size, c.vocab_size, { bias: c.decoder_bias }));
    this.retie();
    this.initWeights();
  }

  get tiedToEmbeddings(): boolean {
    return this.config.fields.tie_word_embeddings;
  }

  override get tiedWeights(): Record<string, string> {
    return this.tiedToEmbeddings ? { 'decoder.weight': 'model.embeddings.tok_embeddings.weight' } : {};
  }

  protected override initHeads(): void {
    // Tied, the decoder's weight is the embeddings' and keeps their initialisation.
    if (!this.tiedToEmbeddings) this.truncatedNormal(this.decoder.weight, this.initStds.out);
    if (this.decoder.bias) zeros_(this.decoder.bias);
  }

  protected override retie(): void {
    if (this.tiedToEmbeddings) this.decoder.registerParameter('weight', this.wordEmbeddings.weight);
    (this.decoder as { outFeatures: number }).outFeatures = this.decoder.weight.shape[0]!;
  }

  protected override resizeHeads(_old: number, n: number, meanResizing: boolean): void {
    // An untied decoder is an output embedding of its own, resized the same way, its bias at
    // the old entries' mean under mean resizing; a tied decoder's bias is padded with zeros.
    if (!this.tiedToEmbeddings) {
      const weight = this.resizedRows(this.decoder.weight, n, meanResizing);
      this.decoder.registerParameter('weight', new Parameter(weight));
      weight.dispose();
    }
    const bias = this.decoder.bias;
    if (bias) this.decoder.registerParameter('bias', ModernBertPreTrainedModel.resizedBias(bias, n, !this.tiedToEmbeddings && meanResizing));
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.model.forward(inputs);
    const predictions = { forward: (hidden: Tensor) => this.decoder.forward(this.head.forward(hidden)) };
    const mlm = mlmHead(predictions, out.lastHiddenState, inputs.labels, inputs.maskedPositionsOnly ?? true, this.config.fields.vocab_size);
    return {
      loss: mlm.loss,
      logits: mlm.logits,
      ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}),
      ...(out.attentions ? { attentions: out.attentions } : {}),
    };
  }
}
