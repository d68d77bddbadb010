// DebertaV2Model: embeddings and the encoder; no pooler (poolerOutput is null).
import type { Embedding } from '../../nn/embedding.js';
import { ones } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import type { BaseModelOutput, EncoderInputs } from '../tasks.js';
import type { DebertaV2Config } from './config.js';
import { DebertaV2Embeddings } from './embeddings.js';
import { DebertaV2Encoder } from './encoder.js';
import { DebertaV2PreTrainedModel } from './pretrained.js';

export type { BaseModelOutput, EncoderInputs, WithLoss } from '../tasks.js';

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function checkIds(name: string, t: Tensor, below: number, what: string): void {
  if (t.numel() === 0) return;
  const lo = t.min().item() as number;
  const hi = t.max().item() as number;
  if (lo < 0 || hi >= below) throw new RangeError(`${name} contains ${lo < 0 ? lo : hi}, outside ${what}`);
}

export class DebertaV2Model extends DebertaV2PreTrainedModel {
  static readonly architecture: string = 'DebertaV2Model';
  readonly embeddings: DebertaV2Embeddings;
  readonly encoder: DebertaV2Encoder;

  constructor(config: DebertaV2Config) {
    super(config);
    this.embeddings = this.registerModule('embeddings', new DebertaV2Embeddings(config));
    this.encoder = this.registerModule('encoder', new DebertaV2Encoder(config));
    this.initWeights();
  }

  get wordEmbeddings(): Embedding {
    return this.embeddings.wordEmbeddings;
  }

  /**
   * Checks ids, shapes and lengths against the config: a clear error instead of a libtorch one.
   * Only absolute position embeddings bound the length (relative positions are clamped or
   * bucketed); token type ids are ignored when type_vocab_size is 0, as in transformers.
   */
  checkInputs(inputs: EncoderInputs): void {
    const c = this.config.fields;
    const { inputIds } = inputs;
    if (!inputIds || typeof inputIds !== 'object' || !('handle' in inputIds)) throw new TypeError('inputIds must be a Tensor');
    if (inputIds.dtype !== 'int64' && inputIds.dtype !== 'int32') throw new TypeError(`inputIds must be int64 or int32, got ${inputIds.dtype}`);
    const shape = inputIds.shape;
    if (shape.length !== 2) throw new RangeError(`inputIds must have shape (batch, length), got [${shape.join(', ')}]`);
    if (c.position_biased_input && shape[1]! > c.max_position_embeddings) {
      throw new RangeError(`the sequence length ${shape[1]} exceeds max_position_embeddings (${c.max_position_embeddings})`);
    }
    checkIds('inputIds', inputIds, c.vocab_size, `the vocabulary of ${c.vocab_size}`);
    for (const name of ['attentionMask', 'tokenTypeIds', 'positionIds'] as const) {
      const t = inputs[name];
      if (t === undefined || t === null) continue;
      if (!t || typeof t !== 'object' || !('handle' in t)) throw new TypeError(`${name} must be a Tensor or null`);
      if (name === 'positionIds' ? t.dim() !== 2 || t.shape[1] !== shape[1] : !sameShape(t.shape, shape)) {
        throw new RangeError(`${name} has shape [${t.shape.join(', ')}], inputIds [${shape.join(', ')}]`);
      }
    }
    if (inputs.tokenTypeIds && c.type_vocab_size > 0) checkIds('tokenTypeIds', inputs.tokenTypeIds, c.type_vocab_size, `type_vocab_size (${c.type_vocab_size})`);
    if (inputs.positionIds && c.position_biased_input) checkIds('positionIds', inputs.positionIds, c.max_position_embeddings, `max_position_embeddings (${c.max_position_embeddings})`);
  }

  forward(inputs: EncoderInputs): BaseModelOutput {
    this.checkInputs(inputs);
    const { inputIds } = inputs;
    const mask = inputs.attentionMask ?? ones(inputIds.shape, { dtype: 'int64', device: inputIds.device });
    const embedded = this.embeddings.forward(inputIds, mask, inputs.tokenTypeIds, inputs.positionIds);
    const encoded = this.encoder.forward(embedded, mask, { outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    return { ...encoded, poolerOutput: null };
  }
}

/** What every DeBERTa-v2 head model shares: the encoder kept under 'deberta.', as transformers names it. */
export abstract class DebertaV2HeadModel extends DebertaV2PreTrainedModel {
  readonly deberta: DebertaV2Model;

  constructor(config: DebertaV2Config) {
    super(config);
    this.deberta = this.registerModule('deberta', new DebertaV2Model(config));
  }

  override get basePrefix(): string {
    return 'deberta.';
  }

  get wordEmbeddings(): Embedding {
    return this.deberta.embeddings.wordEmbeddings;
  }
}
