// ELECTRA for the Auto classes: model_type 'electra'. The preTraining task is the
// discriminator (replaced-token detection); masked LM is the generator; no next sentence prediction.
import { registerFamily } from '../registry.js';
import { ElectraConfig, PRESETS } from './config.js';
import { ElectraForMaskedLM } from './for-masked-lm.js';
import { ElectraForPreTraining } from './for-pretraining.js';
import { ElectraForQuestionAnswering, ElectraForSequenceClassification, ElectraForTokenClassification } from './for-tasks.js';
import { ElectraModel } from './model.js';

registerFamily({
  modelType: 'electra',
  configClass: ElectraConfig,
  models: {
    base: ElectraModel,
    preTraining: ElectraForPreTraining,
    maskedLM: ElectraForMaskedLM,
    sequenceClassification: ElectraForSequenceClassification,
    tokenClassification: ElectraForTokenClassification,
    questionAnswering: ElectraForQuestionAnswering,
  },
  nextSentencePrediction: false,
  presets: PRESETS,
});
