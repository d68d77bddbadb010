export { RobertaConfig, PRESETS, positionFields, type RobertaConfigFields } from './config.js';
export { RobertaEmbeddings, positionIdsFromInputIds } from './embeddings.js';
export { RobertaModel } from './model.js';
export { RobertaPreTrainedModel } from './pretrained.js';
export { RobertaLMHead } from './lm-head.js';
export { RobertaClassificationHead } from './classification-head.js';
export { RobertaForMaskedLM } from './for-masked-lm.js';
export { RobertaForSequenceClassification, RobertaForTokenClassification, RobertaForQuestionAnswering } from './for-tasks.js';
