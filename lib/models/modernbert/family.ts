// ModernBERT for the Auto classes: model_type 'modernbert', MLM-only pretraining.
import { registerFamily } from '../registry.js';
import { ModernBertConfig, PRESETS } from './config.js';
import { ModernBertForMaskedLM } from './for-masked-lm.js';
import { ModernBertForQuestionAnswering, ModernBertForSequenceClassification, ModernBertForTokenClassification } from './for-tasks.js';
import { ModernBertModel } from './model.js';

registerFamily({
  modelType: 'modernbert',
  configClass: ModernBertConfig,
  models: {
    base: ModernBertModel,
    maskedLM: ModernBertForMaskedLM,
    sequenceClassification: ModernBertForSequenceClassification,
    tokenClassification: ModernBertForTokenClassification,
    questionAnswering: ModernBertForQuestionAnswering,
  },
  nextSentencePrediction: false,
  presets: PRESETS,
  // Rotary positions have no table to size: keep ModernBERT's 8192 unless sequences are longer.
  positionFields: (seqLen) => ({ max_position_embeddings: Math.max(8192, seqLen) }),
});
