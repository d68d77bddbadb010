export { XLMRobertaConfig } from './config.js';
export { XLMRobertaModel, XLMRobertaForMaskedLM, XLMRobertaForSequenceClassification, XLMRobertaForTokenClassification, XLMRobertaForQuestionAnswering } from './models.js';
