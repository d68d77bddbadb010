export { ElectraConfig, PRESETS, SUMMARY_TYPES, type ElectraConfigFields, type SummaryType } from './config.js';
export { ElectraEmbeddings } from './embeddings.js';
export { ElectraPreTrainedModel } from './pretrained.js';
export { ElectraModel } from './model.js';
export { ElectraHeadModel } from './head-model.js';
export { ElectraDiscriminatorPredictions, ElectraGeneratorPredictions, ElectraClassificationHead } from './heads.js';
export { ElectraForPreTraining, type ElectraPreTrainingInputs, type ElectraPreTrainingOutput } from './for-pretraining.js';
export { ElectraForMaskedLM } from './for-masked-lm.js';
export { ElectraForSequenceClassification, ElectraForTokenClassification, ElectraForQuestionAnswering } from './for-tasks.js';
export {
  replacedTokenDetectionLoss,
  type ReplacedTokenDetectionInputs,
  type ReplacedTokenDetectionOptions,
  type ReplacedTokenDetectionOutput,
} from './replaced-token-detection.js';
