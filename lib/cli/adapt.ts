// plm-torch adapt: domain-adaptive pretraining, the adapt recipe (lib/train/recipes) from the
// command line, with progress on the terminal and the result on stdout.
import { adapt as adaptRecipe, checkAdaptOptions, type AdaptOptions } from '../train/recipes/adapt.js';
import { integer, number, parseCommand, required } from './args.js';
import { distTimeout, runMaskedLmCommand, SEQ_LEN_ALIAS, TRAINING_FLAGS } from './pretrain.js';

const HELP = `Usage: plm-torch adapt --from DIR --corpus FILES... --out DIR [options]

Continues pretraining a model folder on domain text (MLM only unless --nsp), as in
domain-adaptive pretraining. With --extend-vocab N, the N domain words that the vocabulary
splits into the most pieces (weighted by frequency) become whole tokens first; their
embedding rows are new, every old row is kept, and the MLM decoder stays tied.

  --from DIR|ID       the model folder (with its tokenizer) to adapt, or a hub id (org/name)
  --revision REV      with a hub id: a branch, tag or commit (default main)
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
      revision: { type: 'string' },
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
  const options: AdaptOptions = {
    from: required(values.from, '--from'),
    ...(values.revision ? { revision: values.revision } : {}),
    corpus: required(values.corpus, '--corpus'),
    out: required(values.out, '--out'),
    steps: integer(values.steps, '--steps', 1000),
    extendVocab: integer(values['extend-vocab'], '--extend-vocab', 0, 0),
    seed: integer(values.seed, '--seed', 42, 0),
    batchSize: integer(values['batch-size'], '--batch-size', 32),
    maxLength: integer(values['max-length'], flag('max-length'), 128, 8),
    lr: number(values.lr, '--lr', 5e-5),
    nsp: values.nsp!,
    bf16: values.bf16!,
    checkpointEvery: integer(values['checkpoint-every'], '--checkpoint-every', 500, 0),
    resume: values.resume!,
    distTimeout: distTimeout(values['dist-timeout']),
  };
  const nproc = integer(values.nproc, '--nproc', 1);
  return runMaskedLmCommand({ command: 'adapt', verb: 'adapted', args, nproc, quiet: values.quiet!, check: (hooks) => checkAdaptOptions(options, hooks), run: (hooks) => adaptRecipe(options, hooks) });
}
