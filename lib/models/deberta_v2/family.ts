// DeBERTa-v2 and DeBERTa-v3 for the Auto classes: model_type 'deberta-v2', pretrained by MLM
// alone (no next sentence prediction; transformers has no pretraining class for it).
import { registerFamily } from '../registry.js';
import { DebertaV2Config, PRESETS } from './config.js';
import { DebertaV2ForMaskedLM } from './for-masked-lm.js';
import { DebertaV2ForQuestionAnswering, DebertaV2ForSequenceClassification, DebertaV2ForTokenClassification } from './for-tasks.js';
import { DebertaV2Model } from './model.js';

registerFamily({
  modelType: 'deberta-v2',
  configClass: DebertaV2Config,
  models: {
    base: DebertaV2Model,
    maskedLM: DebertaV2ForMaskedLM,
    sequenceClassification: DebertaV2ForSequenceClassification,
    tokenClassification: DebertaV2ForTokenClassification,
    questionAnswering: DebertaV2ForQuestionAnswering,
  },
  nextSentencePrediction: false,
  presets: PRESETS,
});
