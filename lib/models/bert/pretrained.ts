// What every BERT model shares: the config class, the 'bert.' prefix of the heads and the
// family's name; loading, saving, tying, resizing and initialisation are the core's.
import { PreTrainedModel } from '../pretrained-model.js';
import { BertConfig } from './config.js';

export type { LoadReport, FromPretrainedOptions } from '../pretrained-model.js';

export abstract class BertPreTrainedModel extends PreTrainedModel<BertConfig> {
  static readonly configClass: typeof BertConfig = BertConfig;
  static readonly baseModelPrefix: string = 'bert';
  static readonly familyName: string = 'BERT';
}
