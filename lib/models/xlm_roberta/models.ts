// XLM-RoBERTa is RoBERTa's architecture under other names (transformers' modular_xlm_roberta.py
// subclasses every RoBERTa class): each class here is its RoBERTa class with the XLM-RoBERTa
// config class, architecture name and family name. The weights keep the 'roberta.' prefix.
import { RobertaForMaskedLM } from '../roberta/for-masked-lm.js';
import { RobertaForQuestionAnswering, RobertaForSequenceClassification, RobertaForTokenClassification } from '../roberta/for-tasks.js';
import { RobertaModel } from '../roberta/model.js';
import { XLMRobertaConfig } from './config.js';

const FAMILY_NAME = 'XLM-RoBERTa';

export class XLMRobertaModel extends RobertaModel {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaModel';
}

export class XLMRobertaForMaskedLM extends RobertaForMaskedLM {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForMaskedLM';
}

export class XLMRobertaForSequenceClassification extends RobertaForSequenceClassification {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForSequenceClassification';
}

export class XLMRobertaForTokenClassification extends RobertaForTokenClassification {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForTokenClassification';
}

export class XLMRobertaForQuestionAnswering extends RobertaForQuestionAnswering {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForQuestionAnswering';
}
