import type { Embedding } from '../../nn/embedding.js';
import type { DType } from '../../torch/dtype.js';
import type { Tensor } from '../../torch/tensor.js';
import { additiveAttentionMask } from '../attention.js';
import type { BertConfig } from './config.js';
import { BertEmbeddings } from './embeddings.js';
import { BertEncoder, BertPooler } from './layer.js';
import { BertPreTrainedModel } from './pretrained.js';

export interface BertInputs {
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

export interface BertModelOutput {
  lastHiddenState: Tensor;
  poolerOutput: Tensor | null;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

/**
 * A head's output when its labels were given: the loss is then always computed, so the
 * heads' forward overloads return this and `out.loss.backward()` type-checks as written.
 */
export type WithLoss<O extends { loss: Tensor | null }> = O & { loss: Tensor };


function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

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
    const { inputIds } = inputs;
    if (!inputIds || typeof inputIds !== 'object' || !('handle' in inputIds)) throw new TypeError('inputIds must be a Tensor');
    if (inputIds.dtype !== 'int64' && inputIds.dtype !== 'int32') throw new TypeError(`inputIds must be int64 or int32, got ${inputIds.dtype}`);
    const shape = inputIds.shape;
    if (shape.length !== 2) throw new RangeError(`inputIds must have shape (batch, length), got [${shape.join(', ')}]`);
    if (shape[1]! > c.max_position_embeddings) {
      throw new RangeError(`the sequence length ${shape[1]} exceeds max_position_embeddings (${c.max_position_embeddings})`);
    }
    if (inputIds.numel() > 0) {
      const lo = inputIds.min().item() as number;
      const hi = inputIds.max().item() as number;
      if (lo < 0 || hi >= c.vocab_size) throw new RangeError(`inputIds contains id ${lo < 0 ? lo : hi}, outside the vocabulary of ${c.vocab_size}`);
    }
    for (const name of ['attentionMask', 'tokenTypeIds', 'positionIds'] as const) {
      const t = inputs[name];
      if (t === undefined || t === null) continue;
      if (name === 'positionIds' ? t.dim() !== 2 || t.shape[1] !== shape[1] : !sameShape(t.shape, shape)) {
        throw new RangeError(`${name} has shape [${t.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
      }
    }
    if (inputs.tokenTypeIds && inputs.tokenTypeIds.numel() > 0) {
      const hi = inputs.tokenTypeIds.max().item() as number;
      if (hi >= c.type_vocab_size || (inputs.tokenTypeIds.min().item() as number) < 0) {
        throw new RangeError(`tokenTypeIds contains ${hi}, outside type_vocab_size (${c.type_vocab_size})`);
      }
    }
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
