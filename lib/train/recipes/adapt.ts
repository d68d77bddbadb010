// Domain-adaptive pretraining: continue MLM pretraining of a model folder on a domain corpus,
// optionally adding the domain's most split words to the vocabulary first.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { findDomainTerms, type DomainTerm } from '../../data/domain-vocabulary.js';
import { Tokenizer } from '../../data/tokenizer.js';
import { isRankProcess } from '../../distributed/process-group.js';
import { parseHubId } from '../../hub/hub-id.js';
import { resolveModelDir } from '../../hub/snapshot.js';
import { AutoModelForMaskedLM, AutoModelForPreTraining, folderTask } from '../../models/auto.js';
import { manualSeed } from '../../torch/creation.js';
import { distTimeoutMs, refusePreviousRun, runMaskedLm } from './masked-lm-run.js';
import { OptionError, OptionReader, type RecipeHooks, type RecipeResult } from './options.js';
import { sequenceLength } from './sequence-length.js';

export interface AdaptOptions {
  /** The model folder (with its tokenizer) to adapt, or a hub id (org/name). */
  from: string;
  /** With a hub id: a branch, tag or commit (default main). */
  revision?: string;
  /** Domain corpus files (text or JSONL, gzip, globs). */
  corpus: string[];
  /** Where the adapted model goes. */
  out: string;
  /** Add the N domain words the vocabulary splits most as whole tokens (default 0). */
  extendVocab?: number;
  steps?: number;
  batchSize?: number;
  /** Tokens per sequence (default 128); seqLen is its older name. */
  maxLength?: number;
  seqLen?: number;
  /** Peak learning rate (default 5e-5). */
  lr?: number;
  /** Keep the NSP objective (a family with NSP, a folder with its head). */
  nsp?: boolean;
  bf16?: boolean;
  checkpointEvery?: number;
  seed?: number;
  resume?: boolean;
  /** Seconds a rank waits for the others before failing (default 300). */
  distTimeout?: number;
}

/** Every option's name, so that a misspelt one is refused rather than ignored. */
const ADAPT_OPTIONS = Object.keys({ from: true, revision: true, corpus: true, out: true, extendVocab: true, steps: true, batchSize: true, maxLength: true, seqLen: true, lr: true, nsp: true, bf16: true, checkpointEvery: true, seed: true, resume: true, distTimeout: true } satisfies Record<keyof AdaptOptions, true>);

export interface AdaptResult extends RecipeResult {
  /** The domain words found for the vocabulary, most split first (none when resuming or without extendVocab). */
  domainTerms: DomainTerm[];
  /** How many of them were new tokens. */
  addedTokens: number;
}

/** The options with their defaults, each checked; refuses an OUT that holds a previous run. */
function resolveAdaptOptions(o: AdaptOptions, options: OptionReader) {
  if (o === null || typeof o !== 'object') throw new OptionError('adapt: expected options like { from, corpus, out }');
  options.known(o, ADAPT_OPTIONS, 'adapt');
  const from = options.required(options.string(o.from, 'from'), 'from');
  const corpus = options.required(options.strings(o.corpus, 'corpus'), 'corpus');
  const out = options.required(options.string(o.out, 'out'), 'out');
  if (!existsSync(from) && parseHubId(from) === null) throw new OptionError(`${options.name('from')}: ${from} does not exist (and it is not a hub id, which is org/name or name)`);
  const steps = options.integer(o.steps, 'steps', 1000);
  const resume = options.flag(o.resume, 'resume');
  refusePreviousRun(out, resume, false, options);
  return {
    from,
    revision: options.string(o.revision, 'revision'),
    corpus,
    out,
    steps,
    resume,
    extend: options.integer(o.extendVocab, 'extendVocab', 0, 0),
    nsp: options.flag(o.nsp, 'nsp'),
    seqLen: sequenceLength(o, options),
    batchSize: options.integer(o.batchSize, 'batchSize', 32),
    lr: options.positive(o.lr, 'lr', 5e-5),
    seed: options.integer(o.seed, 'seed', 42, 0),
    bf16: options.flag(o.bf16, 'bf16'),
    checkpointEvery: options.integer(o.checkpointEvery, 'checkpointEvery', 500, 0),
    distTimeoutMs: distTimeoutMs(o.distTimeout, options),
    maskProbability: 0.15,
    optimizer: 'adamw' as const,
    warmupSteps: Math.floor(steps / 100),
    gradientAccumulation: 1,
  };
}

/** Checks what adapt is given before anything is read; the command line runs it before starting its ranks. */
export function checkAdaptOptions(o: AdaptOptions, hooks: RecipeHooks = {}): void {
  resolveAdaptOptions(o, new OptionReader(hooks));
}

export async function adapt(o: AdaptOptions, hooks: RecipeHooks = {}): Promise<AdaptResult> {
  const options = new OptionReader(hooks);
  const { from: given, revision, extend, nsp, ...run } = resolveAdaptOptions(o, options);
  const from = await resolveModelDir(given, { files: 'model', ...(revision ? { revision } : {}), ...(hooks.onDownload ? { onProgress: hooks.onDownload } : {}) });
  const tokenizer = Tokenizer.fromPretrained(from);
  manualSeed(run.seed);
  const { family } = folderTask(from);
  if (nsp && !family.nextSentencePrediction) throw new OptionError(`${options.name('nsp')}: ${from} is a ${family.modelType} model, a family pretrained without next sentence prediction`);
  const model = nsp ? await AutoModelForPreTraining.fromPretrained(from, { dtype: 'float32' }) : await AutoModelForMaskedLM.fromPretrained(from, { dtype: 'float32' });
  const missing = model.loadReport?.missingKeys ?? [];
  if (missing.length > 0) hooks.onLog?.({ level: 'info', message: `note: ${from} lacks ${missing.length} weight(s) of this head, initialised fresh: ${missing.join(', ')}`, step: 0 });
  let domainTerms: DomainTerm[] = [];
  let addedTokens = 0;
  if (extend > 0 && !run.resume) {
    domainTerms = await findDomainTerms(tokenizer, run.corpus, { top: extend });
    addedTokens = tokenizer.addTokens(domainTerms.map((t) => t.word));
    model.resizeTokenEmbeddings(tokenizer.vocabSize);
    mkdirSync(run.out, { recursive: true });
    if (!isRankProcess() || process.env.RANK === '0') writeFileSync(join(run.out, 'domain_terms.json'), `${JSON.stringify(domainTerms, null, 2)}\n`);
    const shown = domainTerms.slice(0, 20).map((t) => `${t.word} (${t.frequency}×, ${t.pieces} pieces)`).join(', ');
    hooks.onLog?.({ level: 'info', message: `added ${addedTokens} domain tokens: ${shown}${domainTerms.length > 20 ? ', …' : ''}`, step: 0 });
  }
  const result = await runMaskedLm({ ...run, model, tokenizer, mlmOnly: !nsp }, hooks, options);
  return { ...result, domainTerms, addedTokens };
}
