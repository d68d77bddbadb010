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

/** A RoBERTa class as XLM-RoBERTa's: its config class and family name, and for the heads, the encoder registered last. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function asXLMRoberta<B extends abstract new (...args: any[]) => Module>(Base: B, head: boolean): B & { readonly configClass: typeof XLMRobertaConfig } {
  abstract class XLMRoberta extends Base {
    static readonly configClass: typeof XLMRobertaConfig = XLMRobertaConfig;
    static readonly familyName: string = FAMILY_NAME;

    override namedChildren(): [string, Module][] {
      return head ? encoderLast(super.namedChildren()) : super.namedChildren();
    }
  }
  return XLMRoberta as unknown as B & { readonly configClass: typeof XLMRobertaConfig };
}

export class XLMRobertaModel extends asXLMRoberta(RobertaModel, false) {
  static override readonly architecture: string = 'XLMRobertaModel';
}

export class XLMRobertaForMaskedLM extends asXLMRoberta(RobertaForMaskedLM, true) {
  static override readonly architecture: string = 'XLMRobertaForMaskedLM';
}

export class XLMRobertaForSequenceClassification extends asXLMRoberta(RobertaForSequenceClassification, true) {
  static override readonly architecture: string = 'XLMRobertaForSequenceClassification';
}

export class XLMRobertaForTokenClassification extends asXLMRoberta(RobertaForTokenClassification, true) {
  static override readonly architecture: string = 'XLMRobertaForTokenClassification';
}

export class XLMRobertaForQuestionAnswering extends asXLMRoberta(RobertaForQuestionAnswering, true) {
  static override readonly architecture: string = 'XLMRobertaForQuestionAnswering';
}
