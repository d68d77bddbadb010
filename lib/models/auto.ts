// The Auto classes, with transformers' names: the family comes from config.json's model_type,
// and the class from the task each Auto class stands for.
import { join } from 'node:path';

import { cachedModelDirSync, resolveModelDir } from '../hub/snapshot.js';
import { readConfig } from '../io/hf-checkpoint.js';
import './families.js';
import type { PretrainedConfig, ConfigInput } from './pretrained-config.js';
import { configFromJSON } from './pretrained-config.js';
import type { FromPretrainedOptions, ModelClass } from './pretrained-model.js';
import { familyOf, familyOfConfig, type Family } from './registry.js';
import type { Task, TaskModels } from './tasks.js';

const TASK_NAMES: Record<Task, string> = {
  base: 'bare encoder (AutoModel)',
  preTraining: 'pretraining model (AutoModelForPreTraining)',
  maskedLM: 'masked language model (AutoModelForMaskedLM)',
  sequenceClassification: 'sequence classification head (AutoModelForSequenceClassification)',
  tokenClassification: 'token classification head (AutoModelForTokenClassification)',
  questionAnswering: 'question answering head (AutoModelForQuestionAnswering)',
};

/** The folder's config.json; a hub id reads its cached snapshot (sync callers make no request). */
function folderConfig(idOrDir: string): Record<string, unknown> {
  if (typeof idOrDir !== 'string' || idOrDir === '') throw new TypeError(`fromPretrained(): expected a model folder, got ${String(idOrDir).slice(0, 40)}`);
  const dir = cachedModelDirSync(idOrDir, { files: ['config.json'] }) ?? idOrDir;
  const json = readConfig(dir);
  if (!json) throw new Error(`${dir} has no config.json`);
  return json;
}

/** The class a family uses for a task, or an error naming what the family lacks. */
export function modelClassFor<T extends Task>(family: Family, task: T): ModelClass<TaskModels[T]> {
  const cls = family.models[task];
  if (!cls) throw new RangeError(`the ${family.configClass.className.replace(/Config$/, '')} family has no ${TASK_NAMES[task]}`);
  return cls as ModelClass<TaskModels[T]>;
}

export const AutoConfig = {
  /** The config in a folder's config.json, as its family's config class. */
  fromPretrained(dir: string, changes?: ConfigInput<Record<string, unknown>>): PretrainedConfig {
    const json = folderConfig(dir);
    const family = familyOf(json.model_type, join(dir, 'config.json'));
    let config: PretrainedConfig;
    try {
      config = configFromJSON(family.configClass, json);
    } catch (err) {
      if (err instanceof Error) err.message = `${join(dir, 'config.json')}: ${err.message}`;
      throw err;
    }
    return changes ? config.with(changes) : config;
  },

  /** A family's config from fields: AutoConfig.forModel('roberta', { hidden_size: 256 }). */
  forModel(modelType: string, fields: ConfigInput<Record<string, unknown>> = {}): PretrainedConfig {
    return new (familyOf(modelType, 'AutoConfig.forModel()').configClass)(fields);
  },
};

/** An Auto class for one task: fromPretrained(dir or hub id) loads a folder of any family, fromConfig(config) builds a fresh model. */
export interface AutoModelClass<M> {
  fromPretrained(dir: string, options?: FromPretrainedOptions): Promise<M>;
  fromConfig(config: PretrainedConfig): M;
  /** The class that fromPretrained(dir) would use. */
  classFor(dir: string): ModelClass;
}

function autoClass<T extends Task>(task: T): AutoModelClass<TaskModels[T]> {
  return {
    async fromPretrained(idOrDir: string, options: FromPretrainedOptions = {}) {
      const dir = await resolveModelDir(idOrDir, options);
      const json = folderConfig(dir);
      const cls = modelClassFor(familyOf(json.model_type, join(dir, 'config.json')), task);
      return (cls as unknown as { fromPretrained(dir: string, options: FromPretrainedOptions): Promise<TaskModels[T]> }).fromPretrained(dir, options);
    },
    fromConfig(config: PretrainedConfig) {
      const cls = modelClassFor(familyOfConfig(config), task);
      return new cls(config as never);
    },
    classFor(dir: string) {
      const json = folderConfig(dir);
      return modelClassFor(familyOf(json.model_type, join(dir, 'config.json')), task);
    },
  };
}

export const AutoModel = autoClass('base');
export const AutoModelForPreTraining = autoClass('preTraining');
export const AutoModelForMaskedLM = autoClass('maskedLM');
export const AutoModelForSequenceClassification = autoClass('sequenceClassification');
export const AutoModelForTokenClassification = autoClass('tokenClassification');
export const AutoModelForQuestionAnswering = autoClass('questionAnswering');

/**
 * What a folder's model does, from config.json: its family (model_type) and the task of the
 * architecture it was saved as. A folder that names no architecture, or one plm-torch does
 * not know, is read as a masked language model (what pretraining leaves).
 */
export function folderTask(dir: string): { family: Family; task: Task; architecture: string } {
  const json = folderConfig(dir);
  const family = familyOf(json.model_type, join(dir, 'config.json'));
  const named = Array.isArray(json.architectures) && typeof json.architectures[0] === 'string' ? (json.architectures[0] as string) : undefined;
  for (const [task, cls] of Object.entries(family.models) as [Task, ModelClass][]) {
    if (cls.architecture === named) return { family, task, architecture: named };
  }
  const fallback = modelClassFor(family, 'maskedLM');
  return { family, task: 'maskedLM', architecture: named ?? fallback.architecture };
}
