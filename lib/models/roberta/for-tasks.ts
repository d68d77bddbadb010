// Fine-tuning heads on the encoder (no pooler), the shared task heads over 'roberta.':
// sequence classification on <s> through RobertaClassificationHead, token classification and
// extractive question answering, with the losses BERT's heads compute.
import { withQuestionAnswering, withSequenceClassification, withTokenClassification } from '../task-heads.js';
import { RobertaClassificationHead } from './classification-head.js';
import { RobertaPreTrainedModel } from './pretrained.js';

export class RobertaForSequenceClassification extends withSequenceClassification(RobertaPreTrainedModel, (m) => m.roberta, (config) => new RobertaClassificationHead(config)) {
  static readonly architecture: string = 'RobertaForSequenceClassification';
}

export class RobertaForTokenClassification extends withTokenClassification(RobertaPreTrainedModel, (m) => m.roberta) {
  static readonly architecture: string = 'RobertaForTokenClassification';
}

export class RobertaForQuestionAnswering extends withQuestionAnswering(RobertaPreTrainedModel, (m) => m.roberta) {
  static readonly architecture: string = 'RobertaForQuestionAnswering';
}
