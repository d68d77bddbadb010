import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { data } from '../../lib/index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-data-'));

t.test('tokenizer train, then data prepare, from the command line', async (t) => {
  const corpus = join(dir, 'corpus.txt');
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) lines.push(`sentence ${i % 17} about proteins, genomes and clinical notes number ${i % 5}.`, i % 4 === 3 ? '' : `more text ${i % 11}.`);
  // A 10 MB line is skipped and counted, not fatal.
  writeFileSync(corpus, `${lines.join('\n')}\n${'x'.repeat(10 * 1024 * 1024)}\nlast line.\n`);
  const trained = run('tokenizer', 'train', '--corpus', corpus, '--out', join(dir, 'tok'), '--vocab-size', '120');
  t.equal(trained.status, 0, trained.stderr);
  t.match(trained.stdout, /tokenizer: \d+ tokens from \d+ distinct words/);
  t.match(trained.stdout, /skipped lines: \{"tooLong":1/);
  t.ok(existsSync(join(dir, 'tok', 'tokenizer.json')) && existsSync(join(dir, 'tok', 'vocab.txt')));
  const prepared = run('data', 'prepare', '--corpus', join(dir, '*.txt'), '--tokenizer', join(dir, 'tok'), '--out', join(dir, 'shards'));
  t.equal(prepared.status, 0, prepared.stderr);
  t.match(prepared.stdout, /prepared \d+ documents, \d+ sentences, \d+ tokens in 1 shard\(s\) \(uint16\)/);
  t.match(prepared.stdout, /skipped lines: 1 too long/);
  t.match(prepared.stdout, /throughput: [\d.]+ MB of text in [\d.]+ s = [\d.]+ MB\/s/);
  const corpusShards = new data.ShardedCorpus(join(dir, 'shards'));
  t.ok(corpusShards.documentCount > 90);
  corpusShards.close();
});

t.test('bad flags and inputs: a message and a non-zero exit', async (t) => {
  const missing = run('data', 'prepare', '--corpus', join(dir, 'nope.txt'), '--tokenizer', join(dir, 'tok'), '--out', join(dir, 'x'));
  t.equal(missing.status, 1);
  t.match(missing.stderr, /plm-torch data: corpus file .*nope.txt does not exist/);
  t.notMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  const noTokenizer = run('data', 'prepare', '--corpus', join(dir, 'corpus.txt'), '--tokenizer', dir, '--out', join(dir, 'y'));
  t.match(noTokenizer.stderr, /has neither tokenizer.json nor vocab.txt/);
  const usage = run('data', 'prepare', '--frob');
  t.equal(usage.status, 2);
  t.match(usage.stderr, /unknown option '--frob' \(plm-torch data prepare --help lists the options\)/);
  t.equal(run('data', 'prepare', '--corpus', 'a').status, 2, 'missing --tokenizer is a usage error');
  t.equal(run('tokenizer', 'train', '--corpus', join(dir, 'corpus.txt'), '--out', join(dir, 'z'), '--vocab-size', 'big').status, 2);
  t.match(run('tokenizer', 'fit').stderr, /unknown action 'fit'/);
  t.match(run('data', '--help').stdout, /Usage: plm-torch data prepare/);
  t.match(run('tokenizer', 'train', '--help').stdout, /Usage: plm-torch tokenizer train/);
});
