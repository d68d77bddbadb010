// Pretraining from scratch: a fresh model of a family (a preset size or a config.json), MLM +
// NSP where the family has NSP, else MLM only with dynamic masking over packed sequences.
import { existsSync } from 'node:fs';

import { Tokenizer } from '../../data/tokenizer.js';
import { resolveModelDir } from '../../hub/snapshot.js';
import { readJsonObject } from '../../io/json-file.js';
import { AutoModelForMaskedLM, AutoModelForPreTraining } from '../../models/auto.js';
import { configFromJSON, type PretrainedConfig } from '../../models/pretrained-config.js';
import { familyOf, registeredFamilies, type Family } from '../../models/registry.js';
import { manualSeed } from '../../torch/creation.js';
import { distTimeoutMs, refusePreviousRun, runMaskedLm } from './masked-lm-run.js';
import { OptionError, OptionReader, type RecipeHooks, type RecipeResult } from './options.js';
import { sequenceLength } from './sequence-length.js';

export interface PretrainOptions {
  /** Where the model folder, metrics.jsonl, eval.json and checkpoints/ go. */
  out: string;
  /** A folder with tokenizer.json or vocab.txt, or a hub id whose tokenizer to use. */
  tokenizer: string;
  /** With a hub id: a branch, tag or commit (default main). */
  revision?: string;
  /** Text or JSONL corpus files (gzip, globs), tokenised into OUT/data first; or `data`. */
  corpus?: string[];
  /** Shards made by `plm-torch data prepare`. */
  data?: string;
  /** The model family, a registered model_type (default 'bert'). */
  arch?: string;
  /** A preset size of the family (tiny, mini, small, base) or a config.json (default tiny). */
  model?: string;
  steps?: number;
  /** Sequences per step in each process (default 32). */
  batchSize?: number;
  /** Micro-batches per optimizer step (default 1). */
  gradAccum?: number;
  /** Tokens per sequence, specials included (default 128); seqLen is its older name. */
  maxLength?: number;
  seqLen?: number;
  /** Peak learning rate (default 1e-4). */
  lr?: number;
  /** Warmup steps (default 1% of steps). */
  warmup?: number;
  optimizer?: 'adamw' | 'lamb';
  /** Share of tokens to predict (default 0.15). */
  maskProb?: number;
  /** No NSP: packed sequences and the family's masked LM. */
  mlmOnly?: boolean;
  /** bfloat16 autocast over float32 master weights. */
  bf16?: boolean;
  /** Steps between checkpoints (default 500; 0 for none but the last). */
  checkpointEvery?: number;
  seed?: number;
  /** Continue from the newest checkpoint in out. */
  resume?: boolean;
  /** Seconds a rank waits for the others before failing (default 300). */
  distTimeout?: number;
}

/** Every option's name, so that a misspelt one is refused rather than ignored. */
const PRETRAIN_OPTIONS = Object.keys({ out: true, tokenizer: true, revision: true, corpus: true, data: true, arch: true, model: true, steps: true, batchSize: true, gradAccum: true, maxLength: true, seqLen: true, lr: true, warmup: true, optimizer: true, maskProb: true, mlmOnly: true, bf16: true, checkpointEvery: true, seed: true, resume: true, distTimeout: true } satisfies Record<keyof PretrainOptions, true>);

/** The family `arch` names, or an error listing the known ones. */
export function architectureFamily(arch: string, options = new OptionReader({})): Family {
  try {
    return familyOf(arch, options.name('arch'));
  } catch {
    throw new OptionError(`${options.name('arch')} must be one of ${registeredFamilies().map((f) => f.modelType).join(', ')}, got '${arch}'`);
  }
}

/**
 * A fresh model's config: a preset size of the family (or a config.json), the tokenizer's
 * vocabulary size and padding id, and positions for the sequence length.
 */
export function modelConfig(family: Family, name: string, vocab: { vocabSize: number; padId: number }, seqLen: number, options = new OptionReader({})): PretrainedConfig {
  const presets = family.presets ?? {};
  if (name.endsWith('.json')) {
    if (!existsSync(name)) throw new OptionError(`${options.name('model')}: ${name} does not exist`);
    const json = readJsonObject(name, `${options.name('model')} config`);
    const config = json.model_type === undefined || json.model_type === family.modelType ? configFromJSON(family.configClass, json) : configFromJSON(familyOf(json.model_type, name).configClass, json);
    return config.with({ vocab_size: vocab.vocabSize, pad_token_id: vocab.padId });
  }
  if (!(name in presets)) throw new OptionError(`${options.name('model')} must be ${Object.keys(presets).join(', ')} or a config.json, got '${name}'`);
  const positions = family.positionFields?.(seqLen) ?? { max_position_embeddings: Math.max(512, seqLen) };
  return new family.configClass({ ...presets[name], vocab_size: vocab.vocabSize, pad_token_id: vocab.padId, ...positions });
}

/** The options with their defaults, each checked; refuses an OUT that holds a previous run. */
function resolvePretrainOptions(o: PretrainOptions, options: OptionReader) {
  if (o === null || typeof o !== 'object') throw new OptionError('pretrain: expected options like { corpus, tokenizer, out }');
  options.known(o, PRETRAIN_OPTIONS, 'pretrain');
  const out = options.required(options.string(o.out, 'out'), 'out');
  const tokenizer = options.required(options.string(o.tokenizer, 'tokenizer'), 'tokenizer');
  const corpus = options.strings(o.corpus, 'corpus');
  const data = options.string(o.data, 'data');
  if (!corpus?.length && !data) throw new OptionError(`give ${options.name('corpus')} FILES or ${options.name('data')} DIR`);
  const steps = options.integer(o.steps, 'steps', 1000);
  const maskProbability = options.positive(o.maskProb, 'maskProb', 0.15);
  if (!(maskProbability < 1)) throw new OptionError(`${options.name('maskProb')} must be below 1, got ${maskProbability}`);
  const resolved = {
    out,
    tokenizer,
    corpus,
    data,
    steps,
    maskProbability,
    revision: options.string(o.revision, 'revision'),
    family: architectureFamily(options.string(o.arch, 'arch') ?? 'bert', options),
    model: options.string(o.model, 'model') ?? 'tiny',
    seqLen: sequenceLength(o, options),
    optimizer: options.choice(o.optimizer, 'optimizer', ['adamw', 'lamb'] as const),
    batchSize: options.integer(o.batchSize, 'batchSize', 32),
    lr: options.positive(o.lr, 'lr', 1e-4),
    seed: options.integer(o.seed, 'seed', 42, 0),
    warmupSteps: options.integer(o.warmup, 'warmup', Math.floor(steps / 100), 0),
    gradientAccumulation: options.integer(o.gradAccum, 'gradAccum', 1),
    bf16: options.flag(o.bf16, 'bf16'),
    mlmOnly: options.flag(o.mlmOnly, 'mlmOnly'),
    checkpointEvery: options.integer(o.checkpointEvery, 'checkpointEvery', 500, 0),
    resume: options.flag(o.resume, 'resume'),
    distTimeoutMs: distTimeoutMs(o.distTimeout, options),
  };
  refusePreviousRun(out, resolved.resume, data !== undefined, options);
  return resolved;
}

/** Checks what pretrain is given before anything is read; the command line runs it before starting its ranks. */
export function checkPretrainOptions(o: PretrainOptions, hooks: RecipeHooks = {}): void {
  resolvePretrainOptions(o, new OptionReader(hooks));
}

export async function pretrain(o: PretrainOptions, hooks: RecipeHooks = {}): Promise<RecipeResult> {
  const options = new OptionReader(hooks);
  const { family, model: modelName, tokenizer: tokenizerGiven, revision, corpus, data, ...run } = resolvePretrainOptions(o, options);
  const tokenizerDir = await resolveModelDir(tokenizerGiven, { files: 'tokenizer', ...(revision ? { revision } : {}), ...(hooks.onDownload ? { onProgress: hooks.onDownload } : {}) });
  const tokenizer = Tokenizer.fromPretrained(tokenizerDir);
  const config = modelConfig(family, modelName, tokenizer, run.seqLen, options);
  // Families without next sentence prediction pretrain as RoBERTa does: MLM only, packed.
  const mlmOnly = run.mlmOnly || !family.nextSentencePrediction;
  manualSeed(run.seed);
  const model = mlmOnly ? AutoModelForMaskedLM.fromConfig(config) : AutoModelForPreTraining.fromConfig(config);
  return runMaskedLm({ ...run, model, tokenizer, mlmOnly, ...(corpus ? { corpus } : {}), ...(data ? { dataDir: data } : {}) }, hooks, options);
}
