import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package as its users load it: by name, through package.json's "exports", from ES
// modules and from CommonJS (Electron main processes and older Node apps use require).
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const node = (flag: '-e' | '--input-type=module', code: string) =>
  spawnSync(process.execPath, flag === '-e' ? ['-e', code] : [flag, '-e', code], { cwd: root, encoding: 'utf8' });
const report = `console.log(JSON.stringify({ keys: Object.keys(p).sort(), sum: p.torch.tensor([1, 2, 3.5]).sum().item() }))`;

t.test('import and require of "plm-torch" give the same module, and it computes', async (t) => {
  const imported = node('--input-type=module', `import * as p from 'plm-torch'; ${report}`);
  t.equal(imported.status, 0, imported.stderr);
  const esm = JSON.parse(imported.stdout) as { keys: string[]; sum: number };
  t.same(esm.keys, ['AutoConfig', 'AutoModel', 'AutoModelForMaskedLM', 'AutoModelForPreTraining', 'AutoModelForQuestionAnswering', 'AutoModelForSequenceClassification', 'AutoModelForTokenClassification', 'AutoTokenizer', 'Tensor', 'Tokenizer', 'TorchError', 'bert', 'data', 'debertaV2', 'distilbert', 'distributed', 'electra', 'hub', 'inference', 'io', 'models', 'modernbert', 'nn', 'optim', 'roberta', 'torch', 'train', 'xlmRoberta']);
  t.equal(esm.sum, 6.5);

  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
  const required = node('-e', `const p = require('plm-torch'); ${report}`);
  if (!requireEsm) {
    t.not(required.status, 0, 'Node without require(esm) cannot load an ES module package');
    return;
  }
  t.equal(required.status, 0, required.stderr);
  t.same(JSON.parse(required.stdout), esm, 'require sees the same exports and numbers as import');
});

t.test('only the public entry is exported; internals are not reachable by path', async (t) => {
  const deep = node('-e', `require('plm-torch/dist/lib/torch/tensor.js')`);
  t.not(deep.status, 0);
  t.match(deep.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

t.test('torch.ops is reachable from the public entry of an app that depends on the package', async (t) => {
  const app = mkdtempSync(join(tmpdir(), 'plm-app-'));
  t.teardown(() => rmSync(app, { recursive: true, force: true }));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(root, join(app, 'node_modules/plm-torch'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'plm-torch': '*' } }));
  writeFileSync(join(app, 'main.js'), `import { torch } from 'plm-torch';
const a = torch.tensor([1, 2]), b = torch.tensor([10, 20]);
const sum = torch.ops.aten.add.Tensor(a, b, { alpha: 2 });
console.log(JSON.stringify({ sum: sum.toArray(), isTensor: sum instanceof torch.Tensor, viaOp: torch.ops.op('aten::mul.Tensor')(a, b).toArray() }));
`);
  const run = spawnSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' });
  t.equal(run.status, 0, run.stderr);
  t.same(JSON.parse(run.stdout), { sum: [21, 42], isTensor: true, viaOp: [10, 40] });
});

t.test('LICENSE holds the Apache License 2.0 that package.json names, and the packed package ships it', async (t) => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string };
  t.equal(pkg.license, 'Apache-2.0');
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  t.match(license, /^\s+Apache License\n\s+Version 2\.0, January 2004\n\s+http:\/\/www\.apache\.org\/licenses\//);
  t.match(license, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
  t.match(license, /END OF TERMS AND CONDITIONS/);
  t.match(license, /^ {3}Copyright 2026 the plm-torch authors$/m, 'the appendix notice is filled in');
  t.notMatch(license, /\[yyyy\]|\[name of copyright owner\]/);

  // --ignore-scripts: the listing only; prepack would rebuild dist/ under the other tests' feet.
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  t.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
  const paths = packed!.files.map((f) => f.path);
  for (const path of ['LICENSE', 'README.md', 'package.json', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/torch/ops.js']) {
    t.ok(paths.includes(path), `the package holds ${path}`);
  }
});
