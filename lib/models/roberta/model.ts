// RobertaModel is BertModel (transformers: class RobertaModel(BertModel)) with RoBERTa's
// embeddings, and inputs checked against the positions RoBERTa numbers after the padding id.
import { BertModel, type BertInputs } from '../bert/model.js';
import { checkIds } from '../input-checks.js';
import { RobertaConfig } from './config.js';
import { RobertaEmbeddings } from './embeddings.js';

export class RobertaModel extends BertModel {
  static override readonly configClass: typeof RobertaConfig = RobertaConfig;
  static override readonly baseModelPrefix: string = 'roberta';
  static override readonly familyName: string = 'RoBERTa';
  static override readonly architecture: string = 'RobertaModel';
  declare readonly embeddings: RobertaEmbeddings;
  declare readonly config: RobertaConfig;

  constructor(config: RobertaConfig, options: { addPoolingLayer?: boolean } = {}) {
    super(config, { ...options, embeddings: new RobertaEmbeddings(config) });
  }

  /** BERT's checks, the length against the positions there are, and given position ids against the table. */
  override checkInputs(inputs: BertInputs): void {
    const length: number | undefined = inputs.inputIds?.shape?.[1];
    const limit = this.config.maxSequenceLength;
    if (!inputs.positionIds && length !== undefined && length > limit) {
      const f = this.config.fields;
      throw new RangeError(
        `the sequence length ${length} exceeds the ${limit} tokens ${this.config.className} numbers positions for ` +
          `(max_position_embeddings ${f.max_position_embeddings} minus pad_token_id ${f.pad_token_id} minus 1: positions start after the padding id)`,
      );
    }
    super.checkInputs(inputs);
    const n = this.config.fields.max_position_embeddings;
    if (inputs.positionIds) checkIds('positionIds', inputs.positionIds, n, `the ${n} positions (max_position_embeddings)`);
  }
}
