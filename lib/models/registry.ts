// The families the Auto classes know: each family registers its config class and a class
// per task it serves. A new family (here or in a user's code) is a folder and one
// registerFamily() call; nothing else changes.
import { describeValue } from '../torch/describe.js';
import type { ConfigClass, PretrainedConfig } from './pretrained-config.js';
import type { ModelClass } from './pretrained-model.js';
import type { Task, TaskModels } from './tasks.js';

export interface FamilyPresets {
  /** Sizes by name for `pretrain --model tiny|mini|small|base`: config fields. */
  [name: string]: Record<string, unknown>;
}

export interface Family {
  /** config.json's model_type ('bert', 'roberta', ...). */
  modelType: string;
  configClass: ConfigClass;
  /** A class per task the family serves. */
  models: { [T in Task]?: ModelClass<TaskModels[T]> };
  /** Whether pretraining adds next sentence prediction to MLM (BERT); otherwise MLM only. */
  nextSentencePrediction?: boolean;
  /** Sizes by name, for `pretrain --arch <family> --model <preset>`. */
  presets?: FamilyPresets;
  /** The position fields a fresh model needs for sequences of seqLen tokens (default: max_position_embeddings max(512, seqLen)). */
  positionFields?(seqLen: number): Record<string, unknown>;
}

const families = new Map<string, Family>();

/** Adds a family (or replaces one of the same model_type) for the Auto classes. */
export function registerFamily(family: Family): void {
  if (!family || typeof family.modelType !== 'string' || family.modelType === '') throw new TypeError(`registerFamily(): a family needs a modelType string, got ${describeValue(family?.modelType)}`);
  if (typeof family.configClass !== 'function') throw new TypeError(`registerFamily(${family.modelType}): configClass must be a config class`);
  if (family.configClass.modelType !== family.modelType) {
    throw new RangeError(`registerFamily(${family.modelType}): its configClass ${family.configClass.className} has modelType '${family.configClass.modelType}'`);
  }
  for (const [task, cls] of Object.entries(family.models)) {
    if (typeof cls !== 'function' || typeof cls.architecture !== 'string') throw new TypeError(`registerFamily(${family.modelType}): models.${task} must be a model class with a static architecture`);
  }
  families.set(family.modelType, family);
}

/** The family of a model_type, or an error listing the known ones. */
export function familyOf(modelType: unknown, where = 'config.json'): Family {
  const family = typeof modelType === 'string' ? families.get(modelType) : undefined;
  if (!family) {
    const known = [...families.keys()].sort().join(', ');
    throw new RangeError(
      modelType === undefined
        ? `${where} has no model_type; the known ones are ${known}`
        : `${where} has model_type ${describeValue(modelType)}, which plm-torch does not know (it knows ${known})`,
    );
  }
  return family;
}

/** Every registered family, in registration order. */
export function registeredFamilies(): Family[] {
  return [...families.values()];
}

/** The family whose config class built this config. */
export function familyOfConfig(config: PretrainedConfig): Family {
  return familyOf(config.modelType, config.className);
}

/** The task a registered architecture name serves ('RobertaForMaskedLM' → 'maskedLM'), or undefined. */
export function taskOfArchitecture(name: string): { family: Family; task: Task } | undefined {
  for (const family of families.values()) {
    for (const [task, cls] of Object.entries(family.models) as [Task, ModelClass][]) if (cls.architecture === name) return { family, task };
  }
  return undefined;
}
