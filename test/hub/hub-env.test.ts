// The environment as huggingface_hub's constants.py and _auth.py read it, and which strings
// are hub ids (validate_repo_id's rules), each against the value Python's rules give.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

import { hub } from '../../lib/index.js';

t.test('the cache folder: HF_HUB_CACHE, else HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub', async (t) => {
  t.equal(hub.hubCacheDir({ HF_HUB_CACHE: '/c', HF_HOME: '/h', XDG_CACHE_HOME: '/x' }), '/c');
  t.equal(hub.hubCacheDir({ HF_HOME: '/h', XDG_CACHE_HOME: '/x' }), '/h/hub');
  t.equal(hub.hubCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/huggingface/hub');
  t.equal(hub.hubCacheDir({}), join(homedir(), '.cache/huggingface/hub'));
  t.equal(hub.hubCacheDir({ HF_HUB_CACHE: '~/models' }), join(homedir(), 'models'), '~ expanded as Python expands it');
  t.equal(hub.hubCacheDir({ HUGGINGFACE_HUB_CACHE: '/legacy', HF_HOME: '/h' }), '/legacy');
});

t.test('endpoint, offline and timeouts', async (t) => {
  t.equal(hub.hubEndpoint({}), 'https://huggingface.co');
  t.equal(hub.hubEndpoint({ HF_ENDPOINT: 'http://mirror:8080/' }), 'http://mirror:8080');
  for (const v of ['1', 'ON', 'yes', 'True']) t.equal(hub.hubOffline({ HF_HUB_OFFLINE: v }), true, v);
  for (const v of ['0', 'off', '', 'no']) t.equal(hub.hubOffline({ HF_HUB_OFFLINE: v }), false, JSON.stringify(v));
  t.equal(hub.hubOffline({ TRANSFORMERS_OFFLINE: '1' }), true);
  t.equal(hub.etagTimeout({}), 10);
  t.equal(hub.downloadTimeout({ HF_HUB_DOWNLOAD_TIMEOUT: '2.5' }), 2.5);
  t.throws(() => hub.downloadTimeout({ HF_HUB_DOWNLOAD_TIMEOUT: '-1' }), /HF_HUB_DOWNLOAD_TIMEOUT must be a positive number of seconds, got "-1"/);
});

t.test('the token: HF_TOKEN, else the token file (HF_TOKEN_PATH or HF_HOME/token), stripped', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'plm-hf-home-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  t.equal(hub.hubToken({ HF_HOME: home }), undefined);
  writeFileSync(join(home, 'token'), '  hf_file\r\n');
  t.equal(hub.hubToken({ HF_HOME: home }), 'hf_file');
  t.equal(hub.hubToken({ HF_HOME: home, HF_TOKEN: 'hf_env' }), 'hf_env');
  t.equal(hub.hubToken({ HF_HOME: home, HUGGING_FACE_HUB_TOKEN: 'hf_old' }), 'hf_old');
  t.equal(hub.hubToken({ HF_HOME: home, HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' }), undefined);
  writeFileSync(join(home, 'other'), 'hf_other');
  t.equal(hub.hubToken({ HF_HOME: home, HF_TOKEN_PATH: join(home, 'other') }), 'hf_other');
});

t.test('hub ids and their cache folder names', async (t) => {
  for (const id of ['bert-base-uncased', 'google-bert/bert-base-uncased', 'org/name.v2', 'a_b/c']) t.equal(hub.parseHubId(id), id, id);
  for (const text of ['./model', '/abs/model', 'a/b/c', 'org--x/y', 'org/..', 'org/-x', 'x.', '', 'a'.repeat(97), 'org/na me']) t.equal(hub.parseHubId(text), null, JSON.stringify(text));
  t.equal(hub.repoFolderName('google-bert/bert-base-uncased'), 'models--google-bert--bert-base-uncased');
  t.equal(hub.repoFolderName('gpt2'), 'models--gpt2');
});
