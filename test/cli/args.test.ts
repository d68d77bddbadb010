import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseCommand, UsageError } from '../../lib/cli/args.js';

const dir = mkdtempSync(join(tmpdir(), 'plm-cli-args-'));
const options = {
  corpus: { type: 'string', multiple: true },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  quiet: { type: 'boolean', default: false },
} as const;
const config = (value: unknown) => {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

t.test('--config supplies flags as JSON keys in any spelling; the command line wins', async (t) => {
  const file = config({ batchSize: 64, lr: '1e-4', corpus: ['a.txt', 'b.txt'], quiet: true });
  const parsed = parseCommand(['--config', file, '--lr', '3e-4'], options, 'help');
  t.same(parsed!.values, { config: file, lr: '3e-4', 'batch-size': '64', corpus: ['a.txt', 'b.txt'], quiet: true });
  const snake = parseCommand(['--config', config({ batch_size: 8, corpus: 'one.txt' })], options, 'help');
  t.equal(snake!.values['batch-size'], '8');
  t.same(snake!.values.corpus, ['one.txt'], 'a single string for a repeatable flag');
  const both = parseCommand(['--corpus', 'x.txt', '--config', config({ corpus: ['y.txt'] })], options, 'help');
  t.same(both!.values.corpus, ['x.txt'], 'repeatable flags from the command line replace, not extend, the file');
});

t.test('bad config files and stray arguments are usage errors that name the problem', async (t) => {
  const fails = (args: string[], pattern: RegExp) => {
    try {
      parseCommand(args, options, 'help');
      t.fail(`${args.join(' ')}: no error`);
    } catch (err) {
      t.ok(err instanceof UsageError, `${args.join(' ')}: a usage error (exit code 2)`);
      t.match((err as Error).message, pattern);
    }
  };
  fails(['--config', config({ bogus: 1 })], /unknown option 'bogus' \(the flags are: corpus, batch-size, lr, quiet\)/);
  fails(['--config', config({ quiet: 'yes' })], /'quiet' must be true or false, got "yes"/);
  fails(['--config', config({ lr: { value: 1 } })], /'lr' must be a string or a number/);
  fails(['--config', config('{"lr": ')], /is not valid JSON/);
  fails(['--config', config('[1, 2]')], /must hold a JSON object of flags/);
  fails(['--config', join(dir, 'absent.json')], /absent.json does not exist/);
  fails(['stray'], /unexpected argument 'stray'/);
  fails(['--nope'], /^unknown option '--nope' \(run with --help to list the options\)$/);
});

t.test('--help prints the text, the shared flags, and returns null', async (t) => {
  const write = process.stdout.write;
  let printed = '';
  let result: ReturnType<typeof parseCommand> | undefined;
  // Assert only after stdout is restored: tap writes its own report to stdout.
  process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
  try {
    result = parseCommand(['--help'], options, 'Usage: thing\n');
  } finally {
    process.stdout.write = write;
  }
  t.equal(result, null);
  t.match(printed, /^Usage: thing\n[\s\S]*--config FILE\.json/);
});

/** The usage error parseCommand throws for `args`, or a failed assertion when there is none. */
const usageError = (t: { ok(value: unknown, message: string): unknown; fail(message: string): unknown }, parse: () => unknown): string => {
  try {
    parse();
  } catch (err) {
    t.ok(err instanceof UsageError, 'a usage error (exit code 2)');
    return (err as Error).message;
  }
  t.fail('no error');
  return '';
};

const flags = {
  device: { type: 'string' },
  'batch-size': { type: 'string' },
  batches: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'max-length': { type: 'string' },
  lr: { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean', default: false },
} as const;
const pretrainLike = (args: string[]) => parseCommand(args, flags, 'help', { command: 'pretrain', aliases: { 'seq-len': 'max-length' } });

t.test('an unknown flag names the closest known one and always points to --help', async (t) => {
  t.equal(usageError(t, () => pretrainLike(['--devic', 'cpu'])), "unknown option '--devic'; did you mean '--device'? (plm-torch pretrain --help lists the options)");
  t.equal(usageError(t, () => pretrainLike(['--lr', '1e-4', '--chekpoint-evrey', '5'])), "unknown option '--chekpoint-evrey'; did you mean '--checkpoint-every'? (plm-torch pretrain --help lists the options)");
  t.match(usageError(t, () => pretrainLike(['--ouy', 'x'])), /^unknown option '--ouy'; did you mean '--out'\?/, 'one typo in a short flag');
  t.match(usageError(t, () => pretrainLike(['--lr=1', '--dveice=cpu'])), /did you mean '--device'\?/, 'two letters swapped (and an inline value)');
  t.match(usageError(t, () => pretrainLike(['--batch_size', '8'])), /did you mean '--batch-size'\?/, 'snake_case');
  t.match(usageError(t, () => pretrainLike(['--maxLength', '8'])), /did you mean '--max-length'\?/, 'camelCase');
  t.match(usageError(t, () => pretrainLike(['-device', 'cpu'])), /^unknown option '-device'; did you mean '--device'\?/, 'a long flag with one dash');
  t.match(usageError(t, () => pretrainLike(['--seq-length', '8'])), /did you mean '--max-length'\? /, 'a flag and its alias are one suggestion');
});

t.test('an unknown flag with no close match gets no guess, only the pointer to --help', async (t) => {
  t.equal(usageError(t, () => pretrainLike(['--xyzzy'])), "unknown option '--xyzzy' (plm-torch pretrain --help lists the options)");
  t.equal(usageError(t, () => pretrainLike(['--x'])), "unknown option '--x' (plm-torch pretrain --help lists the options)", 'one letter is no basis for a guess');
  t.equal(usageError(t, () => pretrainLike(['-z'])), "unknown option '-z' (plm-torch pretrain --help lists the options)");
  t.notMatch(usageError(t, () => pretrainLike(['--warmup', '3'])), /did you mean/);
  // Without a command name: the one in help's usage line, else a plain pointer.
  t.equal(usageError(t, () => parseCommand(['--xyzzy'], flags, 'Usage: plm-torch data prepare --corpus FILES...\n')), "unknown option '--xyzzy' (plm-torch data prepare --help lists the options)");
  t.equal(usageError(t, () => parseCommand(['--xyzzy'], flags, 'help')), "unknown option '--xyzzy' (run with --help to list the options)");
});

t.test('the start of a flag suggests the flags it begins', async (t) => {
  t.equal(usageError(t, () => parseCommand(['--batch-s', '8'], flags, 'help', { command: 'pretrain' })), "unknown option '--batch-s'; did you mean '--batch-size'? (plm-torch pretrain --help lists the options)");
  t.match(usageError(t, () => pretrainLike(['--check', '5'])), /did you mean '--checkpoint-every'\?/);
  t.match(usageError(t, () => pretrainLike(['--batch', '8'])), /did you mean '--batches' or '--batch-size'\?/, 'every flag it begins, shortest first');
  const { batches: _, ...noBatches } = flags;
  t.match(usageError(t, () => parseCommand(['--batch', '8'], noBatches, 'help', { command: 'pretrain' })), /^unknown option '--batch'; did you mean '--batch-size'\? \(plm-torch pretrain --help/);
});

t.test('a flag without its value, or a switch with one, is told in plain words', async (t) => {
  t.equal(usageError(t, () => pretrainLike(['--out'])), "option '--out' needs a value");
  t.equal(usageError(t, () => pretrainLike(['--out', '--lr', '1e-4'])), "option '--out' needs a value, got the flag '--lr' (for a value that starts with '-', write --out=--lr)");
  t.equal(usageError(t, () => pretrainLike(['--seq-len'])), "option '--seq-len' needs a value", 'named as given');
  t.equal(usageError(t, () => pretrainLike(['--quiet=yes'])), "option '--quiet' takes no value, got '--quiet=yes'");
  t.equal(usageError(t, () => pretrainLike(['--quiet', 'yes'])), "unexpected argument 'yes' (--quiet takes no value)");
  t.equal(pretrainLike(['--out', '-'])!.values.out, '-', "a lone '-' is a value");
  t.equal(pretrainLike(['--out=-x'])!.values.out, '-x', 'as is any value written with =');
});

t.test('--seq-len is another name for --max-length: same value, one key, messages name the flag given', async (t) => {
  const short = pretrainLike(['--seq-len', '64'])!;
  const long = pretrainLike(['--max-length', '64'])!;
  t.same(short.values, long.values);
  t.equal(short.values['max-length'], '64');
  t.notOk('seq-len' in short.values, 'the alias leaves no key of its own');
  t.equal(short.flag('max-length'), '--seq-len');
  t.equal(long.flag('max-length'), '--max-length');
  t.equal(long.flag('lr'), '--lr');
  t.equal(pretrainLike(['--seq-len=32', '--max-length', '32'])!.values['max-length'], '32', 'both with one value is fine');
  t.equal(usageError(t, () => pretrainLike(['--seq-len', '32', '--max-length', '64'])), '--seq-len 32 and --max-length 64 are one option given twice with different values; give one of them');
});

t.test('--config takes the alias too, and suggests the key meant', async (t) => {
  const file = config({ seq_len: 48 });
  const parsed = pretrainLike(['--config', file])!;
  t.equal(parsed.values['max-length'], '48');
  t.notOk('seq-len' in parsed.values);
  t.equal(parsed.flag('max-length'), '--seq-len');
  t.equal(pretrainLike(['--config', config({ maxLength: 48 })])!.values['max-length'], '48');
  const line = pretrainLike(['--max-length', '96', '--config', file])!;
  t.equal(line.values['max-length'], '96', 'the command line wins over the file under either name');
  t.equal(line.flag('max-length'), '--max-length');
  t.equal(pretrainLike(['--seq-len', '96', '--config', config({ max_length: 48 })])!.values['max-length'], '96');
  const both = config({ seq_len: 32, max_length: 64 });
  t.equal(usageError(t, () => pretrainLike(['--config', both])), `${both}: 'seq_len' and 'max_length' are one option given twice with different values (32 and 64); give one of them`);
  const typo = config({ batch_sise: 8 });
  t.equal(usageError(t, () => pretrainLike(['--config', typo])), `${typo}: unknown option 'batch_sise'; did you mean 'batch_size'? (the flags are: device, batch-size, batches, checkpoint-every, max-length, lr, out, quiet)`);
  t.match(usageError(t, () => pretrainLike(['--config', config({ checkpointEvry: 8 })])), /unknown option 'checkpointEvry'; did you mean 'checkpointEvery'\?/, 'in the spelling of the key');
});

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

t.test('pretrain, adapt and eval document --max-length and take --seq-len; --batch-size is per process', async (t) => {
  const pretrainHelp = run('pretrain', '--help').stdout;
  t.match(pretrainHelp, /--batch-size B +sequences per step in each process \(default 32\); with --nproc N\s+the step holds N × B/);
  const adaptHelp = run('adapt', '--help').stdout;
  t.match(adaptHelp, /--batch-size B +sequences per step in each process \(default 32\); with --nproc N\s+the step holds N × B/);
  for (const [name, text] of [['pretrain', pretrainHelp], ['adapt', adaptHelp], ['eval', run('eval', '--help').stdout]] as const) {
    t.match(text, /\n  --max-length L +tokens per sequence/, `${name} --help documents --max-length`);
    t.notMatch(text, /\n  --seq-len/, `${name} --help lists --seq-len only as the other name`);
  }
  const out = join(dir, 'never');
  for (const flag of ['--seq-len', '--max-length']) {
    const r = run('pretrain', '--out', out, flag, '4');
    t.equal(r.status, 2);
    t.match(r.stderr, new RegExp(`plm-torch pretrain: ${flag} must be an integer of at least 8, got 4`), 'the message names the flag given');
  }
  const model = join(dir, 'model');
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'config.json'), '{}');
  t.match(run('eval', '--model', model, '--corpus', 'c.txt', '--seq-len', '4').stderr, /plm-torch eval: --seq-len must be an integer of at least 8, got 4/);
  const conflict = run('pretrain', '--out', out, '--seq-len', '32', '--max-length', '64');
  t.equal(conflict.status, 2);
  t.match(conflict.stderr, /--seq-len 32 and --max-length 64 are one option given twice/);
  const typo = run('pretrain', '--btach-size', '8');
  t.equal(typo.status, 2);
  t.equal(typo.stderr, "plm-torch pretrain: unknown option '--btach-size'; did you mean '--batch-size'? (plm-torch pretrain --help lists the options)\n");
});
