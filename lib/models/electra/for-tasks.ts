// Fine-tuning heads on the discriminator (or the generator), the shared task heads over
// 'electra.': sequence classification (single-label, multi-label, regression) through
// ElectraClassificationHead, token classification, extractive question answering.
import { withQuestionAnswering, withSequenceClassification, withTokenClassification } from '../task-heads.js';
import { ElectraClassificationHead } from './heads.js';
import { ElectraHeadModel } from './head-model.js';

export class ElectraForSequenceClassification extends withSequenceClassification(ElectraHeadModel, (m) => m.electra, (config) => new ElectraClassificationHead(config)) {
  static readonly architecture: string = 'ElectraForSequenceClassification';
}

export class ElectraForTokenClassification extends withTokenClassification(ElectraHeadModel, (m) => m.electra) {
  static readonly architecture: string = 'ElectraForTokenClassification';
}

export class ElectraForQuestionAnswering extends withQuestionAnswering(ElectraHeadModel, (m) => m.electra) {
  static readonly architecture: string = 'ElectraForQuestionAnswering';
}
