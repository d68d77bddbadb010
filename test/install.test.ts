import t from 'tap';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A new user's first hour, end to end: the packed tarball installed into a new app on a machine
// where no libtorch is reachable (clean HOME, no PLM_TORCH_PYTHON/LIBTORCH, no npm settings, a
// python3 without torch on PATH), then README's steps: `npx plm-torch setup` (pip's torch into
// the cache venv, from this machine's local wheels as `npm test` gets them; the addon's build),
// doctor, pretrain and finetune. It compiles the addon once more: minutes, not seconds.
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
t.setTimeout(30 * 60_000);

const work = mkdtempSync(join(tmpdir(), 'plm-install-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const home = join(work, 'home');
const app = join(work, 'app');
mkdirSync(home);
mkdirSync(app);

// No npm_* variables (npm test's own, with its nodedir), no libtorch choice, no venv on PATH.
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(npm_|NPM_|PLM_TORCH_|LIBTORCH$|VIRTUAL_ENV$|XDG_CACHE_HOME$|NODE_OPTIONS$|TAP)/.test(k)),
);
env.HOME = home;
env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('.venv') && !p.startsWith(root)).join(delimiter);
// The registry's packages come from the machine's npm cache where it has them (a clean HOME
// would download them again); this says nothing about libtorch.
env.npm_config_cache = join(homedir(), '.npm');
// pip finds this machine's local wheels through the user's pip.conf, which the clean HOME hides.
const pipConfig = join(homedir(), '.config/pip/pip.conf');
if (existsSync(pipConfig) && !env.PIP_CONFIG_FILE) env.PIP_CONFIG_FILE = pipConfig;

const timings: Record<string, number> = {};
function timed(name: string, command: string, args: string[], cwd = app): SpawnSyncReturns<string> {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  timings[name] = (Date.now() - started) / 1000;
  return result;
}
const plm = (...args: string[]) => timed(args.join(' '), process.execPath, [join(app, 'node_modules/plm-torch/bin/plm-torch.js'), ...args]);
const output = (r: SpawnSyncReturns<string>) => `${r.stdout}\n${r.stderr}`;

t.test('python3 on this PATH has no torch (else the test proves nothing)', async (t) => {
  const probe = spawnSync('python3', ['-c', 'import torch'], { env });
  t.not(probe.status, 0);
});

t.test('pack, npm i without libtorch, setup, doctor, pretrain, finetune', async (t) => {
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', env: process.env });
  t.equal(pack.status, 0, pack.stderr);
  const tarball = join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'first-hour', private: true, type: 'module' }));

  // 1. The install completes without a libtorch, and says what to run.
  const install = timed('npm i', 'npm', ['i', tarball, '--foreground-scripts', '--no-audit', '--no-fund', '--prefer-offline']);
  t.equal(install.status, 0, `npm i must complete without libtorch:\n${output(install)}`);
  t.match(output(install), /npx plm-torch setup/);
  t.notMatch(output(install), /ERR! OMG|cmake-js/, 'no build was attempted, so no build noise');
  t.ok(existsSync(join(app, 'node_modules/plm-torch/package.json')), 'the package is installed');

  // 2. Without the addon: --version and --help work; doctor and import name the fix; no stack traces.
  t.match(plm('--version').stdout, /^plm-torch \d+\.\d+\.\d+/);
  t.equal(plm('--help').status, 0);
  const doctor = plm('doctor');
  t.equal(doctor.status, 1);
  t.match(output(doctor), /addon +not loaded/);
  t.match(output(doctor), /npx plm-torch setup/);
  const imported = timed('import', process.execPath, ['--input-type=module', '-e', "import('plm-torch').catch((e) => { console.log(e.name + ': ' + e.message); process.exit(3); })"]);
  t.equal(imported.status, 3);
  t.match(imported.stdout, /AddonLoadError: plm-torch: the native addon is not built/);
  t.match(imported.stdout, /npx plm-torch setup/);
  const early = plm('pretrain', '--steps', '1');
  t.equal(early.status, 1);
  t.match(early.stderr, /^plm-torch: the native addon is not built[^\n]*\nRun `npx plm-torch setup`/, 'one message, no stack trace');

  // 3. setup: torch into the cache venv, then the build (cmake-js given this Node's headers: with
  // a clean HOME there is no npm nodedir, and headers cannot be downloaded here).
  const setup = timed('npx plm-torch setup', 'npx', ['--no-install', 'plm-torch', 'setup', '--cpu']);
  t.equal(setup.status, 0, `setup failed:\n${output(setup).slice(-6000)}`);
  t.match(setup.stderr, /building the native addon: compiling \d+\/\d+/, 'the build shows its steps');
  t.match(setup.stderr, /built the native addon in \d+/);
  t.match(setup.stdout, /libtorch +2\.\d+\.\d+ \(CPU build/, "it ends with doctor's summary");
  const venv = join(home, '.cache/plm-torch/venv');
  t.ok(existsSync(join(venv, 'bin/python')), 'the venv is in the cache folder');

  const again = timed('setup again', process.execPath, [join(app, 'node_modules/plm-torch/bin/plm-torch.js'), 'setup']);
  t.equal(again.status, 0);
  t.match(again.stderr, /is built against it and loads/, 'a second setup does nothing');
  t.ok(timings['setup again']! < 60, `second setup took ${timings['setup again']} s`);

  const report = plm('doctor', '--json', '--seconds', '0.1', '--size', '128');
  t.equal(report.status, 0, report.stderr);
  t.match((JSON.parse(report.stdout) as { found: { source: string } }).found.source, /plm-torch setup's venv/);

  // 4. The README path from the app: a tokenizer, pretraining, fine-tuning.
  const words = 'the model reads text and learns words from the corpus while the trainer counts steps'.split(' ');
  const lines = Array.from({ length: 200 }, (_, i) => Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '));
  writeFileSync(join(app, 'corpus.txt'), lines.map((l, i) => (i % 10 === 9 ? `${l}\n` : l)).join('\n'));
  const records = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: lines[i]!, label: i % 2 === 0 ? 'even' : 'odd' })).join('\n');
  writeFileSync(join(app, 'train.jsonl'), records(32));
  writeFileSync(join(app, 'eval.jsonl'), records(8));
  const tok = plm('tokenizer', 'train', '--corpus', 'corpus.txt', '--vocab-size', '120', '--out', 'tok');
  t.equal(tok.status, 0, output(tok));
  const pretrain = plm('pretrain', '--corpus', 'corpus.txt', '--tokenizer', 'tok', '--out', 'general', '--steps', '4', '--batch-size', '4', '--seq-len', '32', '--quiet');
  t.equal(pretrain.status, 0, output(pretrain));
  t.ok(existsSync(join(app, 'general/model.safetensors')));
  const finetune = plm('finetune', '--from', 'general', '--train', 'train.jsonl', '--eval', 'eval.jsonl', '--out', 'classifier', '--epochs', '1', '--batch-size', '8', '--quiet');
  t.equal(finetune.status, 0, output(finetune));
  t.ok(existsSync(join(app, 'classifier/eval.json')));

  // 5. The libtorch moves away (the venv deleted): one message naming the library and the fix.
  renameSync(venv, `${venv}.moved`);
  for (const args of [['doctor'], ['pretrain', '--corpus', 'corpus.txt', '--tokenizer', 'tok', '--out', 'again']]) {
    const moved = plm(...args);
    t.equal(moved.status, 1, args[0]);
    t.match(output(moved), /the libtorch its addon was built against is gone: lib\w+\.so\S* cannot be found/);
    t.match(output(moved), /npx plm-torch setup/);
    t.notMatch(output(moved), /^\s+at .*\.js:\d+/m, 'no stack trace');
  }
  renameSync(`${venv}.moved`, venv);
  t.comment(`timings (s): ${JSON.stringify(timings)}`);
  t.comment(`cache: ${readdirSync(join(home, '.cache/plm-torch')).join(', ')}`);
});
