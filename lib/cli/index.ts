// The `plm-torch` command: one file per subcommand under lib/cli, each imported only when it
// runs, so that `setup`, `doctor`, `--help` and `--version` work before the addon is built.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from '../package-root.js';
import { OptionError } from '../train/recipes/options.js';
import { closest } from './args.js';

interface Subcommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

const subcommands: Record<string, Subcommand> = {
  setup: { summary: 'find or install torch and build the native addon (run once after npm i)', run: async (a) => (await import('./setup.js')).setup(a) },
  doctor: { summary: 'show the libtorch in use, threads, CUDA and measured matmul speed', run: async (a) => (await import('./doctor.js')).doctor(a) },
  tokenizer: { summary: 'train a WordPiece tokenizer from corpus files (tokenizer train)', run: async (a) => (await import('./tokenizer.js')).tokenizer(a) },
  data: { summary: 'tokenise a corpus into binary shards (data prepare)', run: async (a) => (await import('./data.js')).data(a) },
  pretrain: { summary: 'pretrain a BERT (MLM + NSP, or MLM only) from a corpus or shards', run: async (a) => (await import('./pretrain.js')).pretrain(a) },
  adapt: { summary: 'continue pretraining a model folder on a domain corpus (domain adaptation)', run: async (a) => (await import('./adapt.js')).adapt(a) },
  eval: { summary: 'evaluate a model folder on a corpus (MLM) or labelled JSONL (classification)', run: async (a) => (await import('./evaluate.js')).evaluate(a) },
  predict: { summary: "a classifier's labels for texts, or a masked LM's fillers for [MASK]", run: async (a) => (await import('./predict.js')).predict(a) },
  plot: { summary: "a run's loss and metric curves as an SVG (PNG with the optional sharp)", run: async (a) => (await import('./plot.js')).plot(a) },
  demo: { summary: 'general → domain on the corpora shipped in data/: pretrain, adapt, fine-tune, compare', run: async (a) => (await import('./demo.js')).demo(a) },
  finetune: { summary: 'fine-tune a sequence classifier from a model folder on JSONL records', run: async (a) => (await import('./finetune.js')).finetune(a) },
};

/** The package's version, from its package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(12)} ${s.summary}`);
  return ['Usage: plm-torch <command> [options]', '', 'Commands:', ...lines, '', 'Run `plm-torch <command> --help` for its options, `plm-torch --version` for the version.'].join('\n');
}

/** Runs the command line; returns the exit code. Errors print as one message, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`plm-torch ${version()}\n`);
    return 0;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    const near = closest(name, Object.keys(subcommands));
    process.stderr.write(`plm-torch: unknown command '${name}'${near.length ? `; did you mean '${near[0]}'?` : ''}\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await subcommand.run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The addon's load error names the package and the fix itself.
    process.stderr.write(err instanceof Error && err.name === 'AddonLoadError' ? `${message}\n` : `plm-torch ${name}: ${message}\n`);
    if (err instanceof OptionError) return 2;
    if (process.env.PLM_TORCH_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
