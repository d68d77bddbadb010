// What every RoBERTa head shares, as transformers' RobertaPreTrainedModel: the config class,
// the encoder under 'roberta.' (without the pooler: no RoBERTa head reads it) and the family's name.
import type { Embedding } from '../../nn/embedding.js';
import { PreTrainedModel } from '../pretrained-model.js';
import { RobertaConfig } from './config.js';
import { RobertaModel } from './model.js';

export abstract class RobertaPreTrainedModel extends PreTrainedModel<RobertaConfig> {
  static readonly configClass: typeof RobertaConfig = RobertaConfig;
  static readonly baseModelPrefix: string = 'roberta';
  static readonly familyName: string = 'RoBERTa';
  readonly roberta: RobertaModel;

  constructor(config: RobertaConfig) {
    super(config);
    this.roberta = this.registerModule('roberta', new RobertaModel(config, { addPoolingLayer: false }));
  }

  override get basePrefix(): string {
    return 'roberta.';
  }

  get wordEmbeddings(): Embedding {
    return this.roberta.embeddings.wordEmbeddings;
  }
}
