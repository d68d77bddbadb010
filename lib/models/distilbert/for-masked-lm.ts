import { LayerNorm } from '../../nn/layer-norm.js';
import { Linear } from '../../nn/linear.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { maskedLMOutput } from '../masked-lm.js';
import type { MaskedLanguageModel, MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import { LAYER_NORM_EPS, type DistilBertConfig } from './config.js';
import type { DistilBertEmbeddings } from './embeddings.js';
import { DistilBertModel } from './model.js';
import { DistilBertPreTrainedModel } from './pretrained.js';

/**
 * DistilBERT with its MLM head: vocab_transform → activation → vocab_layer_norm →
 * vocab_projector. The projector's weight is the word embeddings (unless tie_word_embeddings
 * is false); its bias is its own, saved under vocab_projector.bias as transformers does.
 */
export class DistilBertForMaskedLM extends DistilBertPreTrainedModel implements MaskedLanguageModel {
  static readonly architecture: string = 'DistilBertForMaskedLM';
  readonly distilbert: DistilBertModel;
  readonly vocabTransform: Linear;
  readonly vocabLayerNorm: LayerNorm;
  readonly vocabProjector: Linear;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: DistilBertConfig) {
    super(config);
    const c = config.fields;
    this.#act = activation(c.activation);
    this.distilbert = this.registerModule('distilbert', new DistilBertModel(config));
    this.vocabTransform = this.registerModule('vocab_transform', new Linear(c.dim, c.dim));
    this.vocabLayerNorm = this.registerModule('vocab_layer_norm', new LayerNorm(c.dim, { eps: LAYER_NORM_EPS }));
    this.vocabProjector = this.registerModule('vocab_projector', new Linear(c.dim, c.vocab_size));
    this.retie();
    this.initWeights();
  }

  get embeddings(): DistilBertEmbeddings {
    return this.distilbert.embeddings;
  }

  override get basePrefix(): string {
    return 'distilbert.';
  }

  get tiedToEmbeddings(): boolean {
    return this.config.fields.tie_word_embeddings;
  }

  /** As transformers' _tied_weights_keys: only the weight is shared, the bias is the projector's own. */
  override get tiedWeights(): Record<string, string> {
    return this.tiedToEmbeddings ? { 'vocab_projector.weight': 'distilbert.embeddings.word_embeddings.weight' } : {};
  }

  protected override retie(): void {
    if (this.tiedToEmbeddings) this.vocabProjector.registerParameter('weight', this.wordEmbeddings.weight);
  }

  protected override resizeHeads(_old: number, n: number, meanResizing: boolean): void {
    this.resizeTiedDecoder(this.vocabProjector, this.tiedToEmbeddings, n, meanResizing);
  }

  /** Vocabulary logits for hidden states of any leading shape. */
  predict(hidden: Tensor): Tensor {
    return this.vocabProjector.forward(this.vocabLayerNorm.forward(this.#act(this.vocabTransform.forward(hidden))));
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.distilbert.forward(inputs);
    const head = { forward: (hidden: Tensor) => this.predict(hidden) };
    return maskedLMOutput(head, out, inputs, this.config.fields.vocab_size);
  }
}
