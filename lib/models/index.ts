// The family-neutral core: configs, models, task contracts, the registry and the Auto classes.
import './families.js';

export { PretrainedConfig, configFromJSON, expectConfig, type CommonConfigFields, type ConfigInput, type ConfigClass, type ProblemType } from './pretrained-config.js';
export { PreTrainedModel, type LoadReport, type FromPretrainedOptions, type ModelClass } from './pretrained-model.js';
export { LIMITS } from './limits.js';
export { registerFamily, familyOf, familyOfConfig, registeredFamilies, taskOfArchitecture, type Family, type FamilyPresets } from './registry.js';
export {
  AutoConfig,
  AutoModel,
  AutoModelForPreTraining,
  AutoModelForMaskedLM,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoModelForQuestionAnswering,
  modelClassFor,
  folderTask,
  type AutoModelClass,
} from './auto.js';
export type * from './tasks.js';
