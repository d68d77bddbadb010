// BERT for the Auto classes: model_type 'bert', MLM plus next sentence prediction.
import { registerFamily } from '../registry.js';
import { BertConfig, PRESETS } from './config.js';
import { BertForMaskedLM } from './for-masked-lm.js';
import { BertForPreTraining } from './for-pretraining.js';
import { BertForQuestionAnswering, BertForSequenceClassification, BertForTokenClassification } from './for-tasks.js';
import { BertModel } from './model.js';

registerFamily({
  modelType: 'bert',
  configClass: BertConfig,
  models: {
    base: BertModel,
    preTraining: BertForPreTraining,
    maskedLM: BertForMaskedLM,
    sequenceClassification: BertForSequenceClassification,
    tokenClassification: BertForTokenClassification,
    questionAnswering: BertForQuestionAnswering,
  },
  nextSentencePrediction: true,
  presets: PRESETS,
});
