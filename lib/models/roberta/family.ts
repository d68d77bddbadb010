// RoBERTa for the Auto classes: model_type 'roberta', pretrained with MLM only (no next
// sentence prediction, so no pretraining class beside the masked LM).
import { registerFamily } from '../registry.js';
import { positionFields, PRESETS, RobertaConfig } from './config.js';
import { RobertaForMaskedLM } from './for-masked-lm.js';
import { RobertaForQuestionAnswering, RobertaForSequenceClassification, RobertaForTokenClassification } from './for-tasks.js';
import { RobertaModel } from './model.js';

registerFamily({
  modelType: 'roberta',
  configClass: RobertaConfig,
  models: {
    base: RobertaModel,
    maskedLM: RobertaForMaskedLM,
    sequenceClassification: RobertaForSequenceClassification,
    tokenClassification: RobertaForTokenClassification,
    questionAnswering: RobertaForQuestionAnswering,
  },
  nextSentencePrediction: false,
  presets: PRESETS,
  positionFields,
});
