export { BertConfig, PRESETS, LIMITS, type BertConfigFields, type HiddenAct, type ProblemType } from './config.js';
export { BertEmbeddings } from './embeddings.js';
export { BertSelfAttention, BertSelfOutput, BertAttention } from './attention.js';
export { BertIntermediate, BertLayer, BertEncoder, BertPooler } from './layer.js';
export { BertOutput } from './output.js';
export { BertPredictionHeadTransform, BertLMPredictionHead } from './heads.js';
export { BertPreTrainedModel, type LoadReport, type FromPretrainedOptions } from './pretrained.js';
export { BertModel, type BertInputs, type BertModelOutput, type WithLoss } from './model.js';
export { BertForPreTraining, type PreTrainingInputs, type PreTrainingOutput } from './for-pretraining.js';
export { BertForMaskedLM, type MaskedLMInputs, type MaskedLMOutput } from './for-masked-lm.js';
export {
  BertForNextSentencePrediction,
  BertForSequenceClassification,
  BertForTokenClassification,
  BertForQuestionAnswering,
  type TaskOutput,
  type QuestionAnsweringOutput,
} from './for-tasks.js';
