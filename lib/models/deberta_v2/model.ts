// DebertaV2Model: embeddings and the encoder; no pooler (poolerOutput is null).
import type { Embedding } from '../../nn/embedding.js';
import { ones } from '../../torch/creation.js';
import { checkEncoderInputs, checkIds } from '../input-checks.js';
import type { BaseModelOutput, EncoderInputs } from '../tasks.js';
import type { DebertaV2Config } from './config.js';
import { DebertaV2Embeddings } from './embeddings.js';
import { DebertaV2Encoder } from './encoder.js';
import { DebertaV2PreTrainedModel } from './pretrained.js';

export type { BaseModelOutput, EncoderInputs, WithLoss } from '../tasks.js';

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
    checkEncoderInputs(inputs, c.vocab_size, c.position_biased_input ? c.max_position_embeddings : null);
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
