import type { Embedding } from '../../nn/embedding.js';
import type { DType } from '../../torch/dtype.js';
import type { Tensor } from '../../torch/tensor.js';
import { additiveAttentionMask } from '../attention.js';
import { checkEncoderInputs, checkIds } from '../input-checks.js';
import type { BaseModelOutput, EncoderInputs } from '../tasks.js';
import type { BertConfig } from './config.js';
import { BertEmbeddings } from './embeddings.js';
import { BertEncoder, BertPooler } from './layer.js';
import { BertPreTrainedModel } from './pretrained.js';

/** BERT's inputs: every encoder's (token types are BERT's segments). */
export type BertInputs = EncoderInputs;

/** BERT's output: every encoder's, poolerOutput the pooler's (null without one). */
export type BertModelOutput = BaseModelOutput;

export type { WithLoss } from '../tasks.js';

/** The encoder: embeddings, layers, and (optionally) the pooler. */
export class BertModel extends BertPreTrainedModel {
  static readonly architecture: string = 'BertModel';
  readonly embeddings: BertEmbeddings;
  readonly encoder: BertEncoder;
  readonly pooler: BertPooler | null;

  /** `embeddings`: a family's own (RoBERTa's number positions after the padding id); BERT's by default. */
  constructor(config: BertConfig, options: { addPoolingLayer?: boolean; embeddings?: BertEmbeddings } = {}) {
    super(config);
    this.embeddings = this.registerModule('embeddings', options.embeddings ?? new BertEmbeddings(config));
    this.encoder = this.registerModule('encoder', new BertEncoder(config));
    this.pooler = options.addPoolingLayer === false ? null : this.registerModule('pooler', new BertPooler(config));
    this.initWeights();
  }

  get wordEmbeddings(): Embedding {
    return this.embeddings.wordEmbeddings;
  }

  /** Checks ids, shapes and lengths against the config: a clear error instead of a libtorch one. */
  checkInputs(inputs: BertInputs): void {
    const c = this.config.fields;
    checkEncoderInputs(inputs, c.vocab_size, c.max_position_embeddings);
    if (inputs.tokenTypeIds) checkIds('tokenTypeIds', inputs.tokenTypeIds, c.type_vocab_size, `type_vocab_size (${c.type_vocab_size})`);
  }

  /** (batch, length) of 1/0 → additive (batch, 1, 1, length): 0 to attend, the dtype's minimum to mask. */
  extendedAttentionMask(attentionMask: Tensor, dtype: string): Tensor {
    return additiveAttentionMask(attentionMask, dtype as DType);
  }

  forward(inputs: BertInputs): BertModelOutput {
    this.checkInputs(inputs);
    const embedded = this.embeddings.forward(inputs.inputIds, inputs.tokenTypeIds, inputs.positionIds);
    const mask = inputs.attentionMask ? this.extendedAttentionMask(inputs.attentionMask, embedded.dtype) : null;
    const encoded = this.encoder.forward(embedded, mask, { outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    return {
      lastHiddenState: encoded.lastHiddenState,
      poolerOutput: this.pooler ? this.pooler.forward(encoded.lastHiddenState) : null,
      ...(encoded.hiddenStates ? { hiddenStates: encoded.hiddenStates } : {}),
      ...(encoded.attentions ? { attentions: encoded.attentions } : {}),
    };
  }
}
