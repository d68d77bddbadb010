// Hub ids on the command line and in the runners: predict, eval, finetune's --from,
// train.finetune and openModel() take org/name, download into the cache against a hub-shaped
// server, and answer exactly as the same model's local folder does.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bert, data, inference, torch, train } from '../../lib/index.js';
import { commitOf, folderFiles, startHubServer, type HubServer } from '../helpers/hub-server.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/plm-torch.js');
const dir = mkdtempSync(join(tmpdir(), 'plm-cli-hub-'));
const local = join(dir, 'tiny');
const commit = commitOf('cli tiny');
let server: HubServer;
let env: NodeJS.ProcessEnv;
const saved = { ...process.env };

t.before(async () => {
  const words = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'dog', 'sat', 'ran', 'on', 'mat', 'a', 'big', 'small'];
  const tokenizer = data.BertTokenizer.fromVocab(words);
  torch.manualSeed(3);
  await new bert.BertForMaskedLM(new bert.BertConfig({ vocab_size: words.length, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 64 })).savePretrained(local);
  tokenizer.save(local);
  writeFileSync(join(dir, 'corpus.txt'), Array.from({ length: 30 }, (_, i) => `the ${i % 2 ? 'cat' : 'dog'} sat on a mat.\n\nthe big dog ran.\n`).join(''));
  const records = Array.from({ length: 16 }, (_, i) => JSON.stringify({ text: i % 2 ? 'the cat sat' : 'a big dog ran', label: i % 2 ? 'cat' : 'dog' }));
  writeFileSync(join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
  server = await startHubServer({ 'org/tiny': { commits: { [commit]: folderFiles(local) }, refs: { main: commit } } });
  env = { ...process.env, HF_ENDPOINT: server.endpoint, HF_HUB_CACHE: join(dir, 'cache'), HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' };
  for (const k of ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE', 'HF_TOKEN']) delete env[k];
  // Set in place: worker threads (openModel) copy the real process.env, not a replaced object.
  for (const k of ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE', 'HF_TOKEN']) delete process.env[k];
  Object.assign(process.env, { HF_ENDPOINT: env.HF_ENDPOINT, HF_HUB_CACHE: env.HF_HUB_CACHE, HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' });
});
t.teardown(async () => {
  for (const k of ['HF_ENDPOINT', 'HF_HUB_CACHE', 'HF_HUB_DISABLE_IMPLICIT_TOKEN']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await server?.close();
});

/** The CLI in a child process, awaited: the hub server lives on this process's event loop. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

t.test('predict and eval take a hub id and answer as the local folder does', async (t) => {
  const fromHub = await cli('predict', '--model', 'org/tiny', '--text', 'the [MASK] sat', '--json');
  t.equal(fromHub.status, 0, fromHub.stderr);
  t.match(fromHub.stderr, /downloading org\/tiny\/model\.safetensors: [\d.]+ kB of [\d.]+ kB/, 'a line per downloaded file off a TTY');
  t.equal(fromHub.stdout, (await cli('predict', '--model', local, '--text', 'the [MASK] sat', '--json')).stdout);
  const requests = server.requests.length;
  const evaluated = await cli('eval', '--model', 'org/tiny', '--corpus', join(dir, 'corpus.txt'), '--json', '--batches', '2', '--batch-size', '4', '--max-length', '16');
  t.equal(evaluated.status, 0, evaluated.stderr);
  t.equal(server.requests.length, requests, 'the cached snapshot answers: no request');
  t.same(JSON.parse(evaluated.stdout), JSON.parse((await cli('eval', '--model', local, '--corpus', join(dir, 'corpus.txt'), '--json', '--batches', '2', '--batch-size', '4', '--max-length', '16')).stdout));
  const absent = await cli('predict', '--model', 'org/absent', '--text', 'the [MASK]');
  t.equal(absent.status, 1);
  t.match(absent.stderr, /org\/absent/, 'the error names the id');
});

t.test('finetune --from an id and train.finetune equal the local folder\'s run; openModel takes an id', async (t) => {
  const common = { train: join(dir, 'records.jsonl'), eval: join(dir, 'records.jsonl'), epochs: 1, batchSize: 8, lr: 1e-3, seed: 4 };
  const ofHub = await train.finetune({ ...common, from: 'org/tiny', out: join(dir, 'tuned-hub') });
  const ofLocal = await train.finetune({ ...common, from: local, out: join(dir, 'tuned-local') });
  const strip = (m: Record<string, unknown> | null) => ({ ...m, from: undefined });
  t.same(strip(ofHub.metrics), strip(ofLocal.metrics), 'the same run, number for number');
  const run = await cli('finetune', '--from', 'org/tiny', '--train', common.train, '--eval', common.eval, '--out', join(dir, 'tuned-cli'), '--epochs', '1', '--batch-size', '8', '--lr', '1e-3', '--seed', '4', '--quiet');
  t.equal(run.status, 0, run.stderr);
  t.same(strip(JSON.parse(readFileSync(join(dir, 'tuned-cli', 'eval.json'), 'utf8'))), strip(ofLocal.metrics));

  const reference = await inference.openModel(local);
  const worker = await inference.openModel('org/tiny');
  t.same(await worker.fillMasks(['the [MASK] sat']), await reference.fillMasks(['the [MASK] sat']));
  await Promise.all([worker.close(), reference.close()]);
});
