// plm-torch pretrain: MLM + NSP (or MLM only) pretraining of a BERT from a corpus or shards.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PretrainingStream } from '../data/pretraining-stream.js';
import { MANIFEST, prepareShards, ShardedCorpus } from '../data/shards.js';
import { Tokenizer } from '../data/tokenizer.js';
import { AutoModelForMaskedLM, AutoModelForPreTraining } from '../models/auto.js';
import { configFromJSON, type PretrainedConfig } from '../models/pretrained-config.js';
import { familyOf, registeredFamilies, type Family } from '../models/registry.js';
import type { MaskedLanguageModel, PreTrainingModel } from '../models/tasks.js';
import { manualSeed } from '../torch/creation.js';
import { PretrainingBatches } from '../train/batches.js';
import { evaluatePretraining } from '../train/evaluate.js';
import { Trainer, type TrainableModel } from '../train/trainer.js';
import type { MlmBatch } from '../data/mlm-collator.js';
import { DistributedDataParallel } from '../distributed/ddp.js';
import { initProcessGroup } from '../distributed/process-group.js';
import { integer, number, parseCommand, required, UsageError } from './args.js';
import { isRankProcess, launchLocal } from './launch.js';
import { trainInTerminal } from './progress.js';
import { readJsonObject } from '../io/json-file.js';

const HELP = `Usage: plm-torch pretrain (--corpus FILES... | --data DIR) --tokenizer DIR --out DIR [options]

Pretrains an encoder of the --arch family: BERT with masked language modelling and next
sentence prediction (or MLM only); families without NSP (RoBERTa, ...) with MLM only and
dynamic masking, as RoBERTa's recipe does. It leaves OUT as a Hugging Face model folder (config.json, model.safetensors, tokenizer.json,
vocab.txt) with metrics.jsonl, eval.json and checkpoints/.

  --corpus FILE          text or JSONL corpus (gzip, globs); tokenised into OUT/data first
  --data DIR             shards made by \`plm-torch data prepare\`
  --tokenizer DIR        a folder with tokenizer.json or vocab.txt
  --arch FAMILY          the model family: ${registeredFamilies().map((f) => f.modelType).join(', ')} (default bert)
  --model NAME|FILE      tiny, mini, small, base, or a config.json (default tiny)
  --out DIR              where the model, metrics and checkpoints go
  --steps N              optimizer steps (default 1000)
  --batch-size B         sequences per step in each process (default 32); with --nproc N
                         the step holds N × B (and with --grad-accum G, G × N × B)
  --grad-accum G         micro-batches of B sequences per step (default 1)
  --max-length L         tokens per sequence, [CLS] and [SEP] included (default 128;
                         --seq-len is the same flag)
  --lr LR                peak learning rate (default 1e-4)
  --warmup N             warmup steps (default 1% of steps)
  --optimizer NAME       adamw or lamb (default adamw)
  --mask-prob P          share of tokens to predict (default 0.15)
  --mlm-only             no NSP: packed sequences and the family's masked LM
  --bf16                 bfloat16 autocast (float32 master weights)
  --checkpoint-every N   steps between checkpoints (default 500)
  --seed S               seed for weights, data order and masking (default 42)
  --resume               continue from the newest checkpoint in OUT
  --nproc N              data-parallel over N local processes (c10d, Gloo); with NNODES,
                         NODE_RANK, MASTER_ADDR and MASTER_PORT, over several machines
  --dist-timeout S       seconds a rank waits for the others before failing (default 300)
  --quiet                no progress output
`;

/** The family --arch names, or a usage error listing the known ones. */
export function architectureFamily(arch: string): Family {
  try {
    return familyOf(arch, '--arch');
  } catch {
    throw new UsageError(`--arch must be one of ${registeredFamilies().map((f) => f.modelType).join(', ')}, got '${arch}'`);
  }
}

/**
 * A fresh model's config: a preset size of the family (or a config.json), the tokenizer's
 * vocabulary size and padding id, and positions for the sequence length.
 */
export function modelConfig(family: Family, name: string, vocab: { vocabSize: number; padId: number }, seqLen: number): PretrainedConfig {
  const presets = family.presets ?? {};
  if (name.endsWith('.json')) {
    if (!existsSync(name)) throw new UsageError(`--model: ${name} does not exist`);
    const json = readJsonObject(name, '--model config');
    const config = json.model_type === undefined || json.model_type === family.modelType ? configFromJSON(family.configClass, json) : configFromJSON(familyOf(json.model_type, name).configClass, json);
    return config.with({ vocab_size: vocab.vocabSize, pad_token_id: vocab.padId });
  }
  if (!(name in presets)) throw new UsageError(`--model must be ${Object.keys(presets).join(', ')} or a config.json, got '${name}'`);
  const positions = family.positionFields?.(seqLen) ?? { max_position_embeddings: Math.max(512, seqLen) };
  return new family.configClass({ ...presets[name], vocab_size: vocab.vocabSize, pad_token_id: vocab.padId, ...positions });
}

/** The flags pretrain and adapt share: one training loop (trainAndSave) runs under both. */
export const TRAINING_FLAGS = {
  steps: { type: 'string' },
  'batch-size': { type: 'string' },
  'max-length': { type: 'string' },
  lr: { type: 'string' },
  bf16: { type: 'boolean', default: false },
  'checkpoint-every': { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'boolean', default: false },
  nproc: { type: 'string' },
  'dist-timeout': { type: 'string' },
  quiet: { type: 'boolean', default: false },
} as const;

/** --seq-len, the older name of --max-length, still accepted (pretrain, adapt and eval). */
export const SEQ_LEN_ALIAS = { 'seq-len': 'max-length' } as const;

export async function pretrain(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      corpus: { type: 'string', multiple: true },
      data: { type: 'string' },
      tokenizer: { type: 'string' },
      model: { type: 'string', default: 'tiny' },
      arch: { type: 'string', default: 'bert' },
      out: { type: 'string' },
      'grad-accum': { type: 'string' },
      warmup: { type: 'string' },
      optimizer: { type: 'string', default: 'adamw' },
      'mask-prob': { type: 'string' },
      'mlm-only': { type: 'boolean', default: false },
      ...TRAINING_FLAGS,
    },
    HELP,
    { command: 'pretrain', aliases: SEQ_LEN_ALIAS },
  );
  if (!parsed) return 0;
  const { values, flag } = parsed;
  const out = required(values.out, '--out');
  const nproc = integer(values.nproc, '--nproc', 1);
  const distTimeoutMs = distTimeout(values['dist-timeout']);
  const steps = integer(values.steps, '--steps', 1000);
  const batchSize = integer(values['batch-size'], '--batch-size', 32);
  const seqLen = integer(values['max-length'], flag('max-length'), 128, 8);
  const lr = number(values.lr, '--lr', 1e-4);
  const seed = integer(values.seed, '--seed', 42, 0);
  const maskProbability = number(values['mask-prob'], '--mask-prob', 0.15);
  if (!(maskProbability < 1)) throw new UsageError(`--mask-prob must be below 1, got ${maskProbability}`);
  if (values.optimizer !== 'adamw' && values.optimizer !== 'lamb') throw new UsageError(`--optimizer must be adamw or lamb, got '${values.optimizer}'`);
  if (!values.corpus && !values.data) throw new UsageError('give --corpus FILES or --data DIR');
  const tokenizerDir = required(values.tokenizer, '--tokenizer');
  if (!isRankProcess()) refusePreviousRun(out, values.resume!, values.data !== undefined);
  if (nproc > 1 && !isRankProcess()) return launchLocal('pretrain', args, nproc);
  const tokenizer = Tokenizer.fromPretrained(tokenizerDir);
  const family = architectureFamily(values.arch!);
  const config = modelConfig(family, values.model!, tokenizer, seqLen);
  // Families without next sentence prediction pretrain as RoBERTa does: MLM only, packed.
  const mlmOnly = values['mlm-only'] || !family.nextSentencePrediction;
  manualSeed(seed);

  const result = await trainAndSave({
    model: mlmOnly ? AutoModelForMaskedLM.fromConfig(config) : AutoModelForPreTraining.fromConfig(config),
    tokenizer,
    corpus: values.corpus,
    dataDir: values.data,
    out,
    steps,
    batchSize,
    seqLen,
    lr,
    seed,
    maskProbability,
    mlmOnly,
    optimizer: values.optimizer,
    warmupSteps: values.warmup === undefined ? Math.floor(steps / 100) : integer(values.warmup, '--warmup', 0, 0),
    gradientAccumulation: integer(values['grad-accum'], '--grad-accum', 1),
    bf16: values.bf16,
    checkpointEvery: integer(values['checkpoint-every'], '--checkpoint-every', 500, 0),
    resume: values.resume,
    quiet: values.quiet,
    distTimeoutMs,
    verb: 'pretrained',
  });
  return result.cancelled ? 130 : 0;
}

export interface TrainAndSaveOptions {
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
  quiet: boolean;
  /** Collective timeout when this process is one rank of a data-parallel run. */
  distTimeoutMs?: number;
  verb: string;
}

/** --dist-timeout in seconds as the whole milliseconds c10d takes (1 ms to 24.8 days). */
export function distTimeout(value: string | undefined): number {
  const ms = Math.round(number(value, '--dist-timeout', 300) * 1000);
  if (!(ms >= 1 && ms <= 2 ** 31 - 1)) throw new UsageError(`--dist-timeout must be from 0.001 to ${(2 ** 31 - 1) / 1000} seconds (24.8 days), got ${value}`);
  return ms;
}

/**
 * A run leaves OUT/data, checkpoints and metrics.jsonl. A second run into the same OUT without
 * --resume would train on the first run's shards (whatever --corpus now says) and append to
 * its metrics, so it is refused. Shared by pretrain and adapt.
 */
export function refusePreviousRun(out: string, resume: boolean, dataGiven: boolean): void {
  if (resume) return;
  // With --data the shards are the user's own, wherever they lie (OUT/data included).
  const previous = [...(dataGiven ? [] : ['data']), 'checkpoints', 'metrics.jsonl'].filter((name) => existsSync(join(out, name)));
  if (previous.length > 0) throw new UsageError(`--out: ${out} holds a previous run (${previous.join(', ')}): pass --resume to continue it, or choose another --out`);
}

/**
 * Shared by pretrain and adapt: shards from the corpus (unless given), MLM(+NSP) batches, the
 * trainer, a final checkpoint, evaluation, and OUT as a Hugging Face folder with the tokenizer.
 */
export async function trainAndSave(o: TrainAndSaveOptions): Promise<{ step: number; cancelled: boolean }> {
  // Every rank checks before the rendezvous, so none can see shards another has begun to
  // write (a rank writes only after all have joined). This covers ranks started by torchrun;
  // --nproc's launcher has checked once already.
  if (isRankProcess()) refusePreviousRun(o.out, o.resume, o.dataDir !== undefined);
  // One rank of a data-parallel run (plm-torch ... --nproc N, or torchrun's variables).
  const group = isRankProcess() ? initProcessGroup({ timeoutMs: o.distTimeoutMs ?? 300_000 }) : null;
  const rank = group?.rank ?? 0;
  const worldSize = group?.worldSize ?? 1;
  const quiet = o.quiet || rank > 0;
  let dataDir = o.dataDir;
  if (!dataDir) {
    dataDir = join(o.out, 'data');
    if (rank === 0 && !existsSync(join(dataDir, MANIFEST))) {
      const manifest = await prepareShards(o.corpus ?? [], o.tokenizer, dataDir);
      if (!quiet) process.stderr.write(`prepared ${manifest.documents} documents, ${manifest.tokens} tokens\n`);
    }
    group?.barrier(); // the other ranks read the shards rank 0 wrote
  }
  const corpus = new ShardedCorpus(dataDir);
  const model = o.model as unknown as TrainableModel<MlmBatch>;
  const ddp = group ? new DistributedDataParallel(model, group) : undefined;
  const makeBatches = (streamSeed: number) =>
    new PretrainingBatches(
      new PretrainingStream(corpus, { mode: o.mlmOnly ? 'packed' : 'nsp', maxSeqLength: o.seqLen, seed: streamSeed, rank, worldSize, clsId: o.tokenizer.clsId, sepId: o.tokenizer.sepId }),
      { vocabSize: o.tokenizer.vocabSize, maskId: o.tokenizer.maskId, padId: o.tokenizer.padId, specialIds: o.tokenizer.specialIds, maskProbability: o.maskProbability, seed: streamSeed + 1 + 7919 * rank },
      o.batchSize,
    );
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
  });
  const result = await trainInTerminal(trainer, o.steps, { quiet });
  if (result.cancelled) {
    corpus.close();
    ddp?.destroy();
    group?.destroy();
    return { step: result.step, cancelled: true };
  }
  await trainer.checkpoint();
  if (rank === 0) {
    const evalBatches = makeBatches(o.seed + 1000);
    const metrics = evaluatePretraining(o.model, Array.from({ length: 8 }, () => evalBatches.next()));
    await o.model.savePretrained(o.out);
    o.tokenizer.save(o.out);
    writeFileSync(join(o.out, 'eval.json'), `${JSON.stringify({ step: trainer.step, ...(worldSize > 1 ? { processes: worldSize } : {}), ...metrics }, null, 2)}\n`);
    if (!quiet) {
      process.stdout.write(
        `${o.verb} ${trainer.step} steps${worldSize > 1 ? ` on ${worldSize} processes` : ''} → ${o.out}: MLM loss ${metrics.mlmLoss.toFixed(3)}, perplexity ${metrics.perplexity.toFixed(1)}, masked accuracy ${(metrics.maskedAccuracy * 100).toFixed(1)}%${metrics.nspAccuracy === undefined ? '' : `, NSP accuracy ${(metrics.nspAccuracy * 100).toFixed(1)}%`}\n`,
      );
    }
  }
  corpus.close();
  group?.barrier();
  ddp?.destroy();
  group?.destroy();
  return { step: trainer.step, cancelled: false };
}
