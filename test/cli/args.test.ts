import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  fails(['--nope'], /Unknown option '--nope'/);
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
