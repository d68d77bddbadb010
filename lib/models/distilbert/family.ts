// DistilBERT for the Auto classes: model_type 'distilbert', pretrained by MLM only (no next
// sentence prediction, no pretraining head of its own).
import { registerFamily } from '../registry.js';
import { DistilBertConfig, PRESETS } from './config.js';
import { DistilBertForMaskedLM } from './for-masked-lm.js';
import { DistilBertForQuestionAnswering, DistilBertForSequenceClassification, DistilBertForTokenClassification } from './for-tasks.js';
import { DistilBertModel } from './model.js';

registerFamily({
  modelType: 'distilbert',
  configClass: DistilBertConfig,
  models: {
    base: DistilBertModel,
    maskedLM: DistilBertForMaskedLM,
    sequenceClassification: DistilBertForSequenceClassification,
    tokenClassification: DistilBertForTokenClassification,
    questionAnswering: DistilBertForQuestionAnswering,
  },
  nextSentencePrediction: false,
  presets: PRESETS,
});
