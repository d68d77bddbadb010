import { Linear } from '../../nn/linear.js';
import { zeros_ } from '../../nn/init.js';
import type { Tensor } from '../../torch/tensor.js';
import { maskedLMOutput } from '../masked-lm.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import type { ModernBertConfig } from './config.js';
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
    this.resizeTiedDecoder(this.decoder, this.tiedToEmbeddings, n, meanResizing);
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.model.forward(inputs);
    const predictions = { forward: (hidden: Tensor) => this.decoder.forward(this.head.forward(hidden)) };
    return maskedLMOutput(predictions, out, inputs, this.config.fields.vocab_size);
  }
}
