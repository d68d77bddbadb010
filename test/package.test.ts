import t from 'tap';
import { spawnSync } from 'node:child_process';
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
  t.same(esm.keys, ['Tensor', 'TorchError', 'bert', 'data', 'distributed', 'inference', 'io', 'nn', 'optim', 'torch', 'train']);
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
