// The training run pretrain and adapt share: shards from the corpus (unless given), MLM (+NSP)
// batches, the Trainer (data-parallel when this process is one rank of a group), a final
// checkpoint, evaluation, and OUT as a Hugging Face folder with the tokenizer and eval.json.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { MlmBatch } from '../../data/mlm-collator.js';
import { PretrainingStream } from '../../data/pretraining-stream.js';
import { MANIFEST, prepareShards, ShardedCorpus } from '../../data/shards.js';
import type { Tokenizer } from '../../data/tokenizer.js';
import { DistributedDataParallel } from '../../distributed/ddp.js';
import { initProcessGroup, isRankProcess } from '../../distributed/process-group.js';
import type { MaskedLanguageModel, PreTrainingModel } from '../../models/tasks.js';
import { PretrainingBatches } from '../batches.js';
import { evaluatePretraining } from '../evaluate.js';
import { Trainer, type TrainableModel } from '../trainer.js';
import { OptionError, type OptionReader, type RecipeHooks, type RecipeResult } from './options.js';

export interface MaskedLmRun {
  model: PreTrainingModel | MaskedLanguageModel;
  tokenizer: Tokenizer;
  corpus?: string[];
  dataDir?: string;
  out: string;
  steps: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  seed: number;
  maskProbability: number;
  mlmOnly: boolean;
  optimizer: 'adamw' | 'lamb';
  warmupSteps: number;
  gradientAccumulation: number;
  bf16: boolean;
  checkpointEvery: number;
  resume: boolean;
  /** Collective timeout when this process is one rank of a data-parallel run. */
  distTimeoutMs: number;
}

/**
 * A run leaves OUT/data, checkpoints and metrics.jsonl. A second run into the same OUT without
 * resume would train on the first run's shards (whatever corpus now says) and append to its
 * metrics, so it is refused. The command line checks once before it starts its ranks.
 */
export function refusePreviousRun(out: string, resume: boolean, dataGiven: boolean, options: OptionReader): void {
  if (resume) return;
  // With data given the shards are the user's own, wherever they lie (OUT/data included).
  const previous = [...(dataGiven ? [] : ['data']), 'checkpoints', 'metrics.jsonl'].filter((name) => existsSync(join(out, name)));
  if (previous.length > 0) {
    throw new OptionError(`${options.name('out')}: ${out} holds a previous run (${previous.join(', ')}): pass ${options.enable('resume')} to continue it, or choose another ${options.name('out')}`);
  }
}

/** seconds (as --dist-timeout gives them) in the whole milliseconds c10d takes (1 ms to 24.8 days). */
export function distTimeoutMs(seconds: unknown, options: OptionReader): number {
  const ms = Math.round(options.positive(seconds, 'distTimeout', 300) * 1000);
  if (!(ms >= 1 && ms <= 2 ** 31 - 1)) throw new OptionError(`${options.name('distTimeout')} must be from 0.001 to ${(2 ** 31 - 1) / 1000} seconds (24.8 days), got ${String(seconds)}`);
  return ms;
}

export async function runMaskedLm(o: MaskedLmRun, hooks: RecipeHooks, options: OptionReader): Promise<RecipeResult> {
  // Every rank checks before the rendezvous, so none can see shards another has begun to
  // write (a rank writes only after all have joined).
  if (isRankProcess()) refusePreviousRun(o.out, o.resume, o.dataDir !== undefined, options);
  const group = isRankProcess() ? initProcessGroup({ timeoutMs: o.distTimeoutMs }) : null;
  const rank = group?.rank ?? 0;
  const worldSize = group?.worldSize ?? 1;
  let dataDir = o.dataDir;
  if (!dataDir) {
    dataDir = join(o.out, 'data');
    if (rank === 0 && !existsSync(join(dataDir, MANIFEST))) {
      const manifest = await prepareShards(o.corpus ?? [], o.tokenizer, dataDir);
      hooks.onLog?.({ level: 'info', message: `prepared ${manifest.documents} documents, ${manifest.tokens} tokens`, step: 0 });
    }
    group?.barrier(); // the other ranks read the shards rank 0 wrote
  }
  const corpus = new ShardedCorpus(dataDir);
  const model = o.model as unknown as TrainableModel<MlmBatch>;
  const ddp = group ? new DistributedDataParallel(model, group) : undefined;
  const close = () => {
    corpus.close();
    ddp?.destroy();
    group?.destroy();
  };
  const makeBatches = (streamSeed: number) =>
    new PretrainingBatches(
      new PretrainingStream(corpus, { mode: o.mlmOnly ? 'packed' : 'nsp', maxSeqLength: o.seqLen, seed: streamSeed, rank, worldSize, clsId: o.tokenizer.clsId, sepId: o.tokenizer.sepId }),
      { vocabSize: o.tokenizer.vocabSize, maskId: o.tokenizer.maskId, padId: o.tokenizer.padId, specialIds: o.tokenizer.specialIds, maskProbability: o.maskProbability, seed: streamSeed + 1 + 7919 * rank },
      o.batchSize,
    );
  try {
    const trainer = new Trainer<MlmBatch>({
      model,
      batches: makeBatches(o.seed),
      out: o.out,
      steps: o.steps,
      lr: o.lr,
      optimizer: o.optimizer,
      warmupSteps: o.warmupSteps,
      gradientAccumulation: o.gradientAccumulation,
      mixedPrecision: o.bf16 ? 'bfloat16' : null,
      checkpointEvery: o.checkpointEvery,
      resume: o.resume,
      ddp,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.resumeHint ? { resumeHint: hooks.resumeHint } : {}),
    });
    hooks.onTrainer?.(trainer as unknown as Trainer<unknown>);
    const result = await trainer.train();
    if (result.cancelled) return { step: result.step, cancelled: true, out: o.out, metrics: null };
    await trainer.checkpoint();
    let metrics: Record<string, unknown> | null = null;
    if (rank === 0) {
      const evalBatches = makeBatches(o.seed + 1000);
      metrics = { step: trainer.step, ...(worldSize > 1 ? { processes: worldSize } : {}), ...evaluatePretraining(o.model, Array.from({ length: 8 }, () => evalBatches.next())) };
      await o.model.savePretrained(o.out);
      o.tokenizer.save(o.out);
      writeFileSync(join(o.out, 'eval.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    }
    group?.barrier();
    return { step: trainer.step, cancelled: false, out: o.out, metrics };
  } finally {
    close();
  }
}
