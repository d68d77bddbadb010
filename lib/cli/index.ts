// The `plm-torch` command: one file per subcommand under lib/cli.
import { adapt } from './adapt.js';
import { UsageError } from './args.js';
import { data } from './data.js';
import { demo } from './demo.js';
import { doctor } from './doctor.js';
import { evaluate } from './evaluate.js';
import { plot } from './plot.js';
import { predict } from './predict.js';
import { finetune } from './finetune.js';
import { pretrain } from './pretrain.js';
import { tokenizer } from './tokenizer.js';

interface Subcommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

const subcommands: Record<string, Subcommand> = {
  doctor: { summary: 'show the libtorch in use, threads, CUDA and measured matmul speed', run: doctor },
  tokenizer: { summary: 'train a WordPiece tokenizer from corpus files (tokenizer train)', run: tokenizer },
  data: { summary: 'tokenise a corpus into binary shards (data prepare)', run: data },
  pretrain: { summary: 'pretrain a BERT (MLM + NSP, or MLM only) from a corpus or shards', run: pretrain },
  adapt: { summary: 'continue pretraining a model folder on a domain corpus (domain adaptation)', run: adapt },
  eval: { summary: 'evaluate a model folder on a corpus (MLM) or labelled JSONL (classification)', run: evaluate },
  predict: { summary: "a classifier's labels for texts, or a masked LM's fillers for [MASK]", run: predict },
  plot: { summary: "a run's loss and metric curves as an SVG (PNG with the optional sharp)", run: plot },
  demo: { summary: 'general → domain on the corpora shipped in data/: pretrain, adapt, fine-tune, compare', run: demo },
  finetune: { summary: 'fine-tune a sequence classifier from a model folder on JSONL records', run: finetune },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(12)} ${s.summary}`);
  return ['Usage: plm-torch <command> [options]', '', 'Commands:', ...lines, '', 'Run `plm-torch <command> --help` for its options.'].join('\n');
}

/** Runs the command line; returns the exit code. Errors print as one message, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    process.stderr.write(`plm-torch: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await subcommand.run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`plm-torch ${name}: ${message}\n`);
    if (err instanceof UsageError) return 2;
    if (process.env.PLM_TORCH_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
