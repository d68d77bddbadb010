// Files that are not what their names say: a FIFO, a directory or a device under a weight
// file's name, a truncated or legacy torch.save file, a shard index that points out of its
// folder. Each is an error naming the path and the problem, raised before anything is read
// whole (a FIFO would block forever, /dev/zero would fill the memory).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { io } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const root = mkdtempSync(join(tmpdir(), 'plm-weightfile-'));
const skip = missingPython('torch');

function fifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

t.test('a FIFO under a weight or config name is refused at once, not read', async (t) => {
  const dir = join(root, 'fifo');
  mkdirSync(dir);
  fifo(join(dir, 'model.safetensors'));
  fifo(join(dir, 'pytorch_model.bin'));
  t.throws(() => io.loadSafetensors(join(dir, 'model.safetensors')), { name: 'WeightFileError', code: 'NOT_A_FILE', message: /model\.safetensors is a FIFO \(named pipe\), not a weight file/ });
  await t.rejects(io.loadSafetensorsAsync(join(dir, 'model.safetensors')), { code: 'NOT_A_FILE', message: /is a FIFO/ });
  t.throws(() => io.loadTorchBin(join(dir, 'pytorch_model.bin')), { code: 'NOT_A_FILE', message: /pytorch_model\.bin is a FIFO/ });
  const cfgDir = join(root, 'fifo-config');
  mkdirSync(cfgDir);
  fifo(join(cfgDir, 'config.json'));
  t.throws(() => io.readConfig(cfgDir), /cannot read config: .*config\.json is a FIFO \(named pipe\), not a config file/);
});

t.test('a directory or a link to a device under a weight name names what it is', async (t) => {
  const dir = join(root, 'odd');
  mkdirSync(join(dir, 'model.safetensors'), { recursive: true });
  t.throws(() => io.loadSafetensors(join(dir, 'model.safetensors')), { code: 'EISDIR', message: /model\.safetensors is a directory, not a weight file/ });
  symlinkSync('/dev/zero', join(dir, 'pytorch_model.bin'));
  t.throws(() => io.loadTorchBin(join(dir, 'pytorch_model.bin')), { code: 'NOT_A_FILE', message: /pytorch_model\.bin \(a link to \/dev\/zero\) is a character device/ });
  symlinkSync(join(dir, 'gone.bin'), join(dir, 'broken.bin'));
  t.throws(() => io.loadTorchBin(join(dir, 'broken.bin')), { code: 'ENOENT', message: /broken\.bin \(a link to .*gone\.bin\): no such file \(the link is broken\)/ });
  t.throws(() => io.loadTorchBin(join(dir, 'never.bin')), { code: 'ENOENT', message: /never\.bin: no such file$/ });
});

t.test('torch.save files: whole ones load, truncated, legacy and foreign ones are refused by kind', { skip }, async (t) => {
  const dir = join(root, 'bins');
  mkdirSync(dir);
  runPython(
    `import torch
torch.save({'w': torch.arange(6.).reshape(2, 3), 'b': torch.tensor([7, 8])}, inp + '/good.bin')
torch.save({'w': torch.ones(2)}, inp + '/legacy.bin', _use_new_zipfile_serialization=False)
out(1)`,
    dir,
  );
  const good = io.loadTorchBin(join(dir, 'good.bin'));
  t.same(good.w!.toArray(), [[0, 1, 2], [3, 4, 5]], 'a zip64 archive from torch.save passes the check');
  t.same(good.b!.toArray(), [7, 8]);
  const bytes = readFileSync(join(dir, 'good.bin'));
  for (const keep of [bytes.length - 1, bytes.length - 30, Math.floor(bytes.length / 2), 10]) {
    writeFileSync(join(dir, 'cut.bin'), bytes.subarray(0, keep));
    t.throws(() => io.loadTorchBin(join(dir, 'cut.bin')), { code: 'TRUNCATED', message: /cut\.bin: .*truncated/ }, `cut to ${keep} of ${bytes.length} bytes`);
  }
  t.throws(() => io.loadTorchBin(join(dir, 'legacy.bin')), { code: 'LEGACY_PICKLE', message: /legacy\.bin: a legacy torch\.save file .*PyTorch 1\.6/ });
  writeFileSync(join(dir, 'text.bin'), 'version https://git-lfs.github.com/spec/v1\n');
  t.throws(() => io.loadTorchBin(join(dir, 'text.bin')), { code: 'NOT_ZIP', message: /starts with the bytes 76 65 72 73, not the zip signature 50 4b 03 04/ });
  writeFileSync(join(dir, 'empty.bin'), '');
  t.throws(() => io.loadTorchBin(join(dir, 'empty.bin')), { code: 'TRUNCATED', message: /the file is empty/ });
  // The process goes on: the good file still loads after every refusal.
  t.same(io.loadTorchBin(join(dir, 'good.bin')).b!.toArray(), [7, 8]);
});

t.test('a shard index may only name files inside its folder', async (t) => {
  const dir = join(root, 'index');
  mkdirSync(dir);
  writeFileSync(join(root, 'outside.safetensors'), 'x');
  for (const shard of ['../outside.safetensors', '/etc/passwd', '', 7]) {
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { 'a.weight': shard } }));
    t.throws(() => io.weightFiles(dir), /names the shard .*, which is not a file name inside/, `shard ${JSON.stringify(shard)}`);
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: ['a'] }));
  t.throws(() => io.weightFiles(dir), /has no weight_map/);
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'a.weight': 'sub/part.safetensors' } }));
  t.throws(() => io.weightFiles(dir), /names .*sub\/part\.safetensors, which is missing/, 'a subfolder is allowed, and then must exist');
});
