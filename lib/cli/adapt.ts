// plm-torch adapt: domain-adaptive pretraining — continue MLM pretraining of a model folder on
// a domain corpus, optionally adding the domain's frequent split words to the vocabulary first.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { findDomainTerms } from '../data/domain-vocabulary.js';
import { Tokenizer } from '../data/tokenizer.js';
import { AutoModelForMaskedLM, AutoModelForPreTraining, folderTask } from '../models/auto.js';
import { manualSeed } from '../torch/creation.js';
import { integer, number, parseCommand, required, UsageError } from './args.js';
import { isRankProcess, launchLocal } from './launch.js';
import { distTimeout, refusePreviousRun, SEQ_LEN_ALIAS, trainAndSave, TRAINING_FLAGS } from './pretrain.js';

const HELP = `Usage: plm-torch adapt --from DIR --corpus FILES... --out DIR [options]

Continues pretraining a model folder on domain text (MLM only unless --nsp), as in
domain-adaptive pretraining. With --extend-vocab N, the N domain words that the vocabulary
splits into the most pieces (weighted by frequency) become whole tokens first; their
embedding rows are new, every old row is kept, and the MLM decoder stays tied.

  --from DIR          the model folder (with its tokenizer) to adapt
  --corpus FILE       domain corpus (text or JSONL, gzip, globs); repeat for more
  --out DIR           where the adapted model goes
  --extend-vocab N    add the N best domain words as tokens (default 0)
  --steps N           optimizer steps (default 1000)
  --batch-size B      sequences per step in each process (default 32); with --nproc N
                      the step holds N × B
  --max-length L      tokens per sequence, [CLS] and [SEP] included (default 128;
                      --seq-len is the same flag)
  --lr LR             peak learning rate (default 5e-5)
  --nsp               keep the NSP objective (needs a folder with the NSP head)
  --bf16              bfloat16 autocast
  --checkpoint-every N  steps between checkpoints (default 500)
  --seed S            seed (default 42)
  --resume            continue from the newest checkpoint in OUT
  --nproc N           data-parallel over N local processes (see pretrain --help)
  --dist-timeout S    seconds a rank waits for the others before failing (default 300)
  --quiet             no progress output
`;

export async function adapt(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      from: { type: 'string' },
      corpus: { type: 'string', multiple: true },
      out: { type: 'string' },
      'extend-vocab': { type: 'string' },
      nsp: { type: 'boolean', default: false },
      ...TRAINING_FLAGS,
    },
    HELP,
    { command: 'adapt', aliases: SEQ_LEN_ALIAS },
  );
  if (!parsed) return 0;
  const { values, flag } = parsed;
  const from = required(values.from, '--from');
  const corpus = required(values.corpus, '--corpus');
  const out = required(values.out, '--out');
  const steps = integer(values.steps, '--steps', 1000);
  const extend = integer(values['extend-vocab'], '--extend-vocab', 0, 0);
  const seed = integer(values.seed, '--seed', 42, 0);
  if (!existsSync(from)) throw new UsageError(`--from: ${from} does not exist`);
  const nproc = integer(values.nproc, '--nproc', 1);
  const distTimeoutMs = distTimeout(values['dist-timeout']);
  if (!isRankProcess()) refusePreviousRun(out, values.resume!, false);
  if (nproc > 1 && !isRankProcess()) return launchLocal('adapt', args, nproc);
  const tokenizer = Tokenizer.fromPretrained(from);
  manualSeed(seed);
  if (values.nsp && !folderTask(from).family.nextSentencePrediction) throw new UsageError(`--nsp: ${from} is a ${folderTask(from).family.modelType} model, a family pretrained without next sentence prediction`);
  const model = values.nsp ? await AutoModelForPreTraining.fromPretrained(from, { dtype: 'float32' }) : await AutoModelForMaskedLM.fromPretrained(from, { dtype: 'float32' });
  if (model.loadReport!.missingKeys.length > 0 && !values.quiet) {
    process.stderr.write(`note: ${from} lacks ${model.loadReport!.missingKeys.length} weight(s) of this head, initialised fresh: ${model.loadReport!.missingKeys.join(', ')}\n`);
  }
  if (extend > 0 && !values.resume) {
    const terms = await findDomainTerms(tokenizer, corpus, { top: extend });
    const added = tokenizer.addTokens(terms.map((t) => t.word));
    model.resizeTokenEmbeddings(tokenizer.vocabSize);
    mkdirSync(out, { recursive: true });
    if (!isRankProcess() || process.env.RANK === '0') writeFileSync(join(out, 'domain_terms.json'), `${JSON.stringify(terms, null, 2)}\n`);
    if (!values.quiet) {
      process.stdout.write(`added ${added} domain tokens: ${terms.slice(0, 20).map((t) => `${t.word} (${t.frequency}×, ${t.pieces} pieces)`).join(', ')}${terms.length > 20 ? ', …' : ''}\n`);
    }
  }
  const result = await trainAndSave({
    model,
    tokenizer,
    corpus,
    out,
    steps,
    batchSize: integer(values['batch-size'], '--batch-size', 32),
    seqLen: integer(values['max-length'], flag('max-length'), 128, 8),
    lr: number(values.lr, '--lr', 5e-5),
    seed,
    maskProbability: 0.15,
    mlmOnly: !values.nsp,
    optimizer: 'adamw',
    warmupSteps: Math.floor(steps / 100),
    gradientAccumulation: 1,
    bf16: values.bf16,
    checkpointEvery: integer(values['checkpoint-every'], '--checkpoint-every', 500, 0),
    resume: values.resume,
    quiet: values.quiet,
    distTimeoutMs,
    verb: 'adapted',
  });
  return result.cancelled ? 130 : 0;
}
