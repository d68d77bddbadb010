// What every ELECTRA model shares: the config class, the 'electra.' prefix of the heads and
// the family's name; loading, saving, tying, resizing and initialisation are the core's.
import { PreTrainedModel } from '../pretrained-model.js';
import { ElectraConfig } from './config.js';

export abstract class ElectraPreTrainedModel extends PreTrainedModel<ElectraConfig> {
  static readonly configClass: typeof ElectraConfig = ElectraConfig;
  static readonly baseModelPrefix: string = 'electra';
  static readonly familyName: string = 'ELECTRA';
}
