import { Linear } from '../../nn/linear.js';
import type { Tensor } from '../../torch/tensor.js';
import { maskedLMOutput } from '../masked-lm.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import type { ElectraConfig } from './config.js';
import { ElectraGeneratorPredictions } from './heads.js';
import { ElectraHeadModel } from './head-model.js';

/**
 * The generator: ELECTRA's masked language model. generator_predictions brings the hidden
 * states to embedding_size, and generator_lm_head projects them onto the vocabulary with the
 * word embeddings' weight (unless tie_word_embeddings is false) and a bias of its own.
 */
export class ElectraForMaskedLM extends ElectraHeadModel {
  static readonly architecture: string = 'ElectraForMaskedLM';
  readonly generatorPredictions: ElectraGeneratorPredictions;
  readonly generatorLmHead: Linear;

  constructor(config: ElectraConfig) {
    super(config);
    const c = config.fields;
    this.generatorPredictions = this.registerModule('generator_predictions', new ElectraGeneratorPredictions(config));
    this.generatorLmHead = this.registerModule('generator_lm_head', new Linear(c.embedding_size, c.vocab_size));
    this.retie();
    this.initWeights();
  }

  get tiedToEmbeddings(): boolean {
    return this.config.fields.tie_word_embeddings;
  }

  override get tiedWeights(): Record<string, string> {
    return this.tiedToEmbeddings ? { 'generator_lm_head.weight': 'electra.embeddings.word_embeddings.weight' } : {};
  }

  protected override retie(): void {
    if (this.tiedToEmbeddings) this.generatorLmHead.registerParameter('weight', this.wordEmbeddings.weight);
  }

  protected override resizeHeads(_old: number, n: number, meanResizing: boolean): void {
    this.resizeTiedDecoder(this.generatorLmHead, this.tiedToEmbeddings, n, meanResizing);
  }

  /** (batch, length, hidden) → vocabulary logits. */
  generatorLogits(hidden: Tensor): Tensor {
    return this.generatorLmHead.forward(this.generatorPredictions.forward(hidden));
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.electra.forward(inputs);
    const head = { forward: (hidden: Tensor) => this.generatorLogits(hidden) };
    return maskedLMOutput(head, out, inputs, this.config.fields.vocab_size);
  }
}
