// XLM-RoBERTa for the Auto classes: model_type 'xlm-roberta', RoBERTa's heads and positions.
import { registerFamily } from '../registry.js';
import { positionFields, PRESETS } from '../roberta/config.js';
import { XLMRobertaConfig } from './config.js';
import { XLMRobertaForMaskedLM, XLMRobertaForQuestionAnswering, XLMRobertaForSequenceClassification, XLMRobertaForTokenClassification, XLMRobertaModel } from './models.js';

registerFamily({
  modelType: 'xlm-roberta',
  configClass: XLMRobertaConfig,
  models: {
    base: XLMRobertaModel,
    maskedLM: XLMRobertaForMaskedLM,
    sequenceClassification: XLMRobertaForSequenceClassification,
    tokenClassification: XLMRobertaForTokenClassification,
    questionAnswering: XLMRobertaForQuestionAnswering,
  },
  nextSentencePrediction: false,
  presets: PRESETS,
  positionFields,
});
