// XLM-RoBERTa is RoBERTa's architecture under other names (transformers' modular_xlm_roberta.py
// subclasses every RoBERTa class): each class here is its RoBERTa class with the XLM-RoBERTa
// config class, architecture name and family name. The weights keep the 'roberta.' prefix.
import type { Module } from '../../nn/module.js';
import { RobertaForMaskedLM } from '../roberta/for-masked-lm.js';
import { RobertaForQuestionAnswering, RobertaForSequenceClassification, RobertaForTokenClassification } from '../roberta/for-tasks.js';
import { RobertaModel } from '../roberta/model.js';
import { XLMRobertaConfig } from './config.js';

const FAMILY_NAME = 'XLM-RoBERTa';

/**
 * transformers' XLM-RoBERTa heads register their head modules before `roberta` (RoBERTa's
 * register it first), so their parameters and state dict come in that order, and the tied MLM
 * decoder weight is named lm_head.decoder.weight by named_parameters. The same order here
 * gives the same names.
 */
function encoderLast(children: [string, Module][]): [string, Module][] {
  return [...children.filter(([name]) => name !== 'roberta'), ...children.filter(([name]) => name === 'roberta')];
}

export class XLMRobertaModel extends RobertaModel {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaModel';
}

export class XLMRobertaForMaskedLM extends RobertaForMaskedLM {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForMaskedLM';

  override namedChildren(): [string, Module][] {
    return encoderLast(super.namedChildren());
  }
}

export class XLMRobertaForSequenceClassification extends RobertaForSequenceClassification {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForSequenceClassification';

  override namedChildren(): [string, Module][] {
    return encoderLast(super.namedChildren());
  }
}

export class XLMRobertaForTokenClassification extends RobertaForTokenClassification {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForTokenClassification';

  override namedChildren(): [string, Module][] {
    return encoderLast(super.namedChildren());
  }
}

export class XLMRobertaForQuestionAnswering extends RobertaForQuestionAnswering {
  static override readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
  static override readonly familyName: string = FAMILY_NAME;
  static override readonly architecture: string = 'XLMRobertaForQuestionAnswering';

  override namedChildren(): [string, Module][] {
    return encoderLast(super.namedChildren());
  }
}
