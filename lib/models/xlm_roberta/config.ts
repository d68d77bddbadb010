// XLMRobertaConfig: RoBERTa's fields and checks, with the defaults of xlm-roberta-base (its
// 250,002-token SentencePiece vocabulary) and model_type 'xlm-roberta'.
import type { ConfigInput } from '../pretrained-config.js';
import { RobertaConfig, type RobertaConfigFields } from '../roberta/config.js';

const DEFAULTS: RobertaConfigFields = {
  ...(RobertaConfig.defaults as RobertaConfigFields),
  vocab_size: 250002,
  model_type: 'xlm-roberta',
};

export class XLMRobertaConfig extends RobertaConfig {
  static override readonly modelType: string = 'xlm-roberta';
  static override readonly className: string = 'XLMRobertaConfig';
  static override readonly defaults: object = DEFAULTS;

  constructor(fields: ConfigInput<RobertaConfigFields> = {}, extra: Record<string, unknown> = {}) {
    super(fields, extra);
  }
}
