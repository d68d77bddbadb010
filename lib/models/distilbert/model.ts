import type { Tensor } from '../../torch/tensor.js';
import type { BaseModelOutput, EncoderInputs, EncoderModel } from '../tasks.js';
import { additiveAttentionMask } from '../attention.js';
import type { DistilBertConfig } from './config.js';
import { DistilBertEmbeddings } from './embeddings.js';
import { DistilBertPreTrainedModel } from './pretrained.js';
import { DistilBertTransformer } from './transformer.js';

function isTensor(value: unknown): value is Tensor {
  return value !== null && typeof value === 'object' && 'handle' in value;
}

function range(t: Tensor): [number, number] {
  return [t.min().item() as number, t.max().item() as number];
}

/** The encoder: embeddings and the transformer blocks. There is no pooler (poolerOutput is null). */
export class DistilBertModel extends DistilBertPreTrainedModel implements EncoderModel {
  static readonly architecture: string = 'DistilBertModel';
  readonly embeddings: DistilBertEmbeddings;
  readonly transformer: DistilBertTransformer;

  constructor(config: DistilBertConfig) {
    super(config);
    this.embeddings = this.registerModule('embeddings', new DistilBertEmbeddings(config));
    this.transformer = this.registerModule('transformer', new DistilBertTransformer(config));
    this.initWeights();
  }

  /**
   * Checks ids, shapes and lengths against the config: a clear error instead of a libtorch one.
   * tokenTypeIds are ignored (DistilBERT has no segment embeddings), as the task contract says.
   */
  checkInputs(inputs: EncoderInputs): void {
    const c = this.config.fields;
    const { inputIds } = inputs ?? {};
    if (!isTensor(inputIds)) throw new TypeError('DistilBertModel: inputIds must be a Tensor');
    if (inputIds.dtype !== 'int64' && inputIds.dtype !== 'int32') throw new TypeError(`DistilBertModel: inputIds must be int64 or int32, got ${inputIds.dtype}`);
    const shape = inputIds.shape;
    if (shape.length !== 2) throw new RangeError(`DistilBertModel: inputIds must have shape (batch, length), got [${shape.join(', ')}]`);
    if (shape[1]! > c.max_position_embeddings) throw new RangeError(`DistilBertModel: the sequence length ${shape[1]} exceeds max_position_embeddings (${c.max_position_embeddings})`);
    if (inputIds.numel() > 0) {
      const [lo, hi] = range(inputIds);
      if (lo < 0 || hi >= c.vocab_size) throw new RangeError(`DistilBertModel: inputIds contains id ${lo < 0 ? lo : hi}, outside the vocabulary of ${c.vocab_size}`);
    }
    const { attentionMask, positionIds } = inputs;
    if (attentionMask !== undefined && attentionMask !== null) {
      if (!isTensor(attentionMask)) throw new TypeError('DistilBertModel: attentionMask must be a Tensor or null');
      if (attentionMask.shape.length !== 2 || attentionMask.shape[0] !== shape[0] || attentionMask.shape[1] !== shape[1]) {
        throw new RangeError(`DistilBertModel: attentionMask has shape [${attentionMask.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
      }
    }
    if (positionIds !== undefined && positionIds !== null) {
      if (!isTensor(positionIds)) throw new TypeError('DistilBertModel: positionIds must be a Tensor or null');
      if (positionIds.dtype !== 'int64' && positionIds.dtype !== 'int32') throw new TypeError(`DistilBertModel: positionIds must be int64 or int32, got ${positionIds.dtype}`);
      if (positionIds.dim() !== 2 || positionIds.shape[1] !== shape[1] || (positionIds.shape[0] !== 1 && positionIds.shape[0] !== shape[0])) {
        throw new RangeError(`DistilBertModel: positionIds has shape [${positionIds.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
      }
      if (positionIds.numel() > 0) {
        const [lo, hi] = range(positionIds);
        if (lo < 0 || hi >= c.max_position_embeddings) throw new RangeError(`DistilBertModel: positionIds contains ${lo < 0 ? lo : hi}, outside max_position_embeddings (${c.max_position_embeddings})`);
      }
    }
  }

  forward(inputs: EncoderInputs): BaseModelOutput {
    this.checkInputs(inputs);
    const embedded = this.embeddings.forward(inputs.inputIds, inputs.positionIds);
    const mask = inputs.attentionMask ? additiveAttentionMask(inputs.attentionMask, embedded.dtype) : null;
    const encoded = this.transformer.forward(embedded, mask, { outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    return { ...encoded, poolerOutput: null };
  }
}
