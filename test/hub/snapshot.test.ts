// Hub ids in fromPretrained and AutoTokenizer against a hub-shaped server serving tiny models
// that transformers saved: the logits equal the local folder's (and transformers' own), a second
// open makes no request, revisions, sharded and .bin-only repositories, and huggingface_hub
// itself as the oracle of the cache: Python reads what we cached offline, and we read offline
// what Python downloaded.
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

import { AutoModelForMaskedLM, AutoTokenizer, hub, Tokenizer, torch } from '../../lib/index.js';
import { commitOf, folderFiles, startHubServer, type HubServer } from '../helpers/hub-server.js';
import { missingPython, runPython, runPythonAsync } from '../helpers/python.js';

const skip = missingPython('transformers', 'huggingface_hub', 'safetensors');
const IDS = [[2, 7, 9, 11, 3]];
const TOKENIZER_AND_MODEL = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];

interface Fixtures {
  root: string;
  logits: Record<string, number[][][]>;
}

function makeFixtures(): Fixtures {
  const root = mkdtempSync(join(tmpdir(), 'plm-hub-models-'));
  const logits = runPython<Record<string, number[][][]>>(
    `
import os, torch
from transformers import BertConfig, BertForMaskedLM, BertTokenizer
root = inp['root']
words = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] + [w for w in 'the a cat dog sat on mat ran fast slow big small red blue green one two three four five'.split()]
os.makedirs(root + '/vocab', exist_ok=True)
open(root + '/vocab/vocab.txt', 'w').write('\\n'.join(words) + '\\n')
tok = BertTokenizer(vocab=root + '/vocab/vocab.txt')
config = BertConfig(vocab_size=len(words), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37, max_position_embeddings=64)
res = {}
for name, seed in [('main', 0), ('old', 1)]:
    torch.manual_seed(seed)
    m = BertForMaskedLM(config).eval()
    m.save_pretrained(root + '/' + name)
    tok.save_pretrained(root + '/' + name)
    with torch.no_grad():
        res[name] = m(torch.tensor(inp['ids'])).logits.tolist()
    if name == 'main':
        m.save_pretrained(root + '/sharded', max_shard_size='20KB')
        tok.save_pretrained(root + '/sharded')
        os.makedirs(root + '/bin', exist_ok=True)
        config.save_pretrained(root + '/bin')
        torch.save(dict(m.state_dict()), root + '/bin/pytorch_model.bin')
        tok.save_pretrained(root + '/bin')
out(res)
`,
    { root, ids: IDS },
  );
  return { root, logits };
}

let fx: Fixtures;
let server: HubServer;
let cacheDir: string;
const env = { ...process.env };
const main = commitOf('tiny main');
const old = commitOf('tiny old');

t.before(async () => {
  if (skip) return;
  fx = makeFixtures();
  const files = (name: string) => folderFiles(join(fx.root, name));
  server = await startHubServer({
    'org/tiny': { commits: { [main]: files('main'), [old]: files('old') }, refs: { main, old } },
    'org/sharded': { commits: { [main]: files('sharded') }, refs: { main } },
    'tiny-bin': { commits: { [main]: files('bin') }, refs: { main } },
  });
});
t.teardown(async () => {
  process.env = env;
  if (skip) return;
  await server.close();
  rmSync(fx.root, { recursive: true, force: true });
});
t.beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'plm-hub-cache-'));
  process.env = { ...env, HF_ENDPOINT: server.endpoint, HF_HUB_CACHE: cacheDir, HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' };
  for (const k of ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE', 'HF_TOKEN']) delete process.env[k];
  server.requests.length = 0;
});
t.afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

async function logitsOf(idOrDir: string, options: { revision?: string } = {}): Promise<number[][][]> {
  const model = await AutoModelForMaskedLM.fromPretrained(idOrDir, options);
  model.eval();
  return torch.tidy(() => model.forward({ inputIds: torch.tensor(IDS, { dtype: 'int64' }) }).logits.toArray() as number[][][]);
}

function maxDiff(a: number[][][], b: number[][][]): number {
  return Math.max(...a.flat(2).map((v, i) => Math.abs(v - b.flat(2)[i]!)));
}

t.test('AutoModelForMaskedLM.fromPretrained(org/name) from a clean cache: the local folder\'s logits, then no request', { skip }, async (t) => {
  const fromHub = await logitsOf('org/tiny');
  t.same(fromHub, await logitsOf(join(fx.root, 'main')), 'exactly the local folder\'s logits');
  t.ok(maxDiff(fromHub, fx.logits.main!) < 1e-5, 'and transformers\' within 1e-5');
  const snapshot = join(cacheDir, 'models--org--tiny', 'snapshots', main);
  for (const f of TOKENIZER_AND_MODEL) t.ok(existsSync(join(snapshot, f)) || existsSync(join(cacheDir, 'models--org--tiny', '.no_exist', main, f)), `${f} cached or known missing`);

  const tok = await AutoTokenizer.fromPretrainedAsync('org/tiny');
  const local = Tokenizer.fromPretrained(join(fx.root, 'main'));
  const ids = (await tok.encode('the cat sat on the mat')).ids;
  t.same(ids, (await local.encode('the cat sat on the mat')).ids);
  t.notOk(ids.includes(1), 'every word is in the vocabulary (no [UNK])');

  server.requests.length = 0;
  t.same(await logitsOf('org/tiny'), fromHub);
  t.same((await Tokenizer.fromPretrained('org/tiny').encode('a big dog')).ids, (await local.encode('a big dog')).ids, 'the sync tokenizer reads the cached id');
  t.same(server.requests, [], 'the second open makes no request');
});

t.test('the sync tokenizer names the async one for an id not yet cached', { skip }, async (t) => {
  t.throws(() => Tokenizer.fromPretrained('org/tiny'), /hub id org\/tiny has no tokenizer in the cache: await AutoTokenizer\.fromPretrainedAsync\('org\/tiny'\) downloads it/);
  const tok = await AutoTokenizer.fromPretrainedAsync('org/tiny', { revision: 'old' });
  t.ok(existsSync(join(cacheDir, 'models--org--tiny', 'snapshots', old, 'tokenizer.json')));
  t.notOk(existsSync(join(cacheDir, 'models--org--tiny', 'snapshots', old, 'model.safetensors')), 'a tokenizer downloads no weights');
  t.equal(tok.vocabSize, 25, 'the repository\'s vocabulary');
  t.same((await tok.encode('the big red dog')).ids, (await Tokenizer.fromPretrained(join(fx.root, 'old')).encode('the big red dog')).ids);
});

t.test('{ revision } loads that commit\'s weights', { skip }, async (t) => {
  const oldLogits = await logitsOf('org/tiny', { revision: 'old' });
  t.same(oldLogits, await logitsOf(join(fx.root, 'old')));
  t.ok(maxDiff(oldLogits, fx.logits.old!) < 1e-5);
  t.ok(maxDiff(oldLogits, fx.logits.main!) > 1e-3, 'not main\'s');
  t.same(await logitsOf('org/tiny', { revision: old }), oldLogits, 'by commit hash too');
});

t.test('sharded safetensors and a .bin-only repository', { skip }, async (t) => {
  t.same(await logitsOf('org/sharded'), await logitsOf(join(fx.root, 'main')));
  const sharded = join(cacheDir, 'models--org--sharded');
  t.ok(existsSync(join(sharded, '.no_exist', main, 'model.safetensors')), 'the missing single file is remembered');
  t.ok(existsSync(join(sharded, 'snapshots', main, 'model.safetensors.index.json')));
  t.ok(maxDiff(await logitsOf('tiny-bin'), fx.logits.main!) < 1e-5);
  t.ok(existsSync(join(cacheDir, 'models--tiny-bin', 'snapshots', main, 'pytorch_model.bin')));
  t.ok(existsSync(join(cacheDir, 'models--tiny-bin', '.no_exist', main, 'model.safetensors.index.json')), 'safetensors were asked for first');
});

t.test('huggingface_hub reads offline what plm-torch cached', { skip }, async (t) => {
  const ours = await logitsOf('org/tiny');
  server.requests.length = 0;
  const py = await runPythonAsync<{ snapshot: string; config: string; logits: number[][][] }>(
    `
import torch
from huggingface_hub import hf_hub_download, snapshot_download
from transformers import AutoModelForMaskedLM
snap = snapshot_download('org/tiny')
cfg = hf_hub_download('org/tiny', 'config.json')
m = AutoModelForMaskedLM.from_pretrained('org/tiny').eval()
with torch.no_grad():
    out({'snapshot': snap, 'config': cfg, 'logits': m(torch.tensor(inp)).logits.tolist()})
`,
    IDS,
    { HF_HUB_OFFLINE: '1' },
  );
  t.equal(realpathSync(py.snapshot), realpathSync(join(cacheDir, 'models--org--tiny', 'snapshots', main)));
  t.equal(py.config, join(cacheDir, 'models--org--tiny', 'snapshots', main, 'config.json'));
  t.ok(maxDiff(py.logits, ours) < 1e-5);
  t.same(server.requests, [], 'Python made no request');
});

t.test('plm-torch reads offline what huggingface_hub downloaded', { skip }, async (t) => {
  const paths = await runPythonAsync<Record<string, string | null>>(
    `
from huggingface_hub import hf_hub_download
from huggingface_hub.errors import EntryNotFoundError
res = {}
for f in inp:
    try:
        res[f] = hf_hub_download('org/tiny', f)
    except EntryNotFoundError:
        res[f] = None
out(res)
`,
    TOKENIZER_AND_MODEL,
  );
  t.ok(server.requests.some((r) => r.server === 'cdn'), 'Python took the weights through the redirect');
  t.ok(paths['model.safetensors']);
  server.requests.length = 0;
  process.env.HF_HUB_OFFLINE = '1';
  t.same(await logitsOf('org/tiny'), await logitsOf(join(fx.root, 'main')));
  const tok = await AutoTokenizer.fromPretrainedAsync('org/tiny');
  t.same((await tok.encode('two red cats')).ids, (await Tokenizer.fromPretrained(join(fx.root, 'main')).encode('two red cats')).ids);
  t.same(server.requests, [], 'no request');
  delete process.env.HF_HUB_OFFLINE;
  t.same(await logitsOf('org/tiny'), await logitsOf(join(fx.root, 'main')));
  t.same(server.requests, [], 'online too: Python\'s snapshot and .no_exist markers are complete');
});

t.test('offline with nothing cached names the id', { skip }, async (t) => {
  process.env.HF_HUB_OFFLINE = '1';
  await t.rejects(AutoModelForMaskedLM.fromPretrained('org/tiny'), { name: 'HubError', code: 'OFFLINE_NOT_CACHED', message: /org\/tiny \(revision main\) is not in the cache/ });
  await t.rejects(hub.resolveModelDir('org/tiny', { files: 'tokenizer' }), { code: 'OFFLINE_NOT_CACHED' });
});
