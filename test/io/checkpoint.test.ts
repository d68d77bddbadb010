// Hugging Face folders: single and sharded safetensors, pytorch_model.bin (libtorch's
// unpickler), legacy LayerNorm names, and a folder written here read by transformers' loader.
import t from 'tap';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { io, torch } from '../../lib/index.js';
import { maxAbsDiff } from '../helpers/numeric.js';
import { missingPython, runPython } from '../helpers/python.js';

const root = mkdtempSync(join(tmpdir(), 'plm-hf-'));
const skip = missingPython('torch', 'safetensors');

t.test('a folder written here has config.json and model.safetensors that Python reads', { skip }, async (t) => {
  const dir = join(root, 'ours');
  const sd = { 'encoder.weight': torch.randn([3, 2]), 'encoder.bias': torch.zeros([3]) };
  io.saveCheckpoint(dir, sd, { model_type: 'bert', hidden_size: 2 });
  const back = io.loadCheckpoint(dir);
  t.same(back.config, { model_type: 'bert', hidden_size: 2 });
  t.same(back.stateDict['encoder.weight']!.toArray(), sd['encoder.weight'].toArray());
  const py = runPython<{ keys: string[]; meta: Record<string, string>; w: number[][] }>(
    `from safetensors import safe_open\nimport json\nwith safe_open(inp + '/model.safetensors', 'pt') as f:\n    out({'keys': sorted(f.keys()), 'meta': f.metadata(), 'w': f.get_tensor('encoder.weight').tolist()})`,
    dir,
  );
  t.same(py.keys, ['encoder.bias', 'encoder.weight']);
  t.same(py.meta, { format: 'pt' }, 'the metadata transformers expects');
  t.ok(maxAbsDiff(py.w, sd['encoder.weight'].toArray() as number[][]) === 0);
});

t.test('sharded safetensors and pytorch_model.bin folders written by Python, with legacy names', { skip }, async (t) => {
  const shardDir = join(root, 'sharded');
  const binDir = join(root, 'bin');
  const binShardDir = join(root, 'bin-sharded');
  for (const d of [shardDir, binDir, binShardDir]) mkdirSync(d, { recursive: true });
  const ref = runPython<Record<string, number[]>>(
    `import torch, json, os
from safetensors.torch import save_file
torch.manual_seed(0)
sd = {'bert.embeddings.LayerNorm.gamma': torch.randn(4), 'bert.embeddings.LayerNorm.beta': torch.randn(4),
      'bert.embeddings.word_embeddings.weight': torch.randn(5, 4), 'bert.embeddings.position_ids': torch.arange(8).view(1, -1),
      'cls.predictions.bias': torch.randn(5)}
keys = list(sd)
save_file({k: sd[k] for k in keys[:2]}, inp['shard'] + '/model-00001-of-00002.safetensors')
save_file({k: sd[k] for k in keys[2:]}, inp['shard'] + '/model-00002-of-00002.safetensors')
json.dump({'metadata': {}, 'weight_map': {k: ('model-00001-of-00002.safetensors' if i < 2 else 'model-00002-of-00002.safetensors') for i, k in enumerate(keys)}}, open(inp['shard'] + '/model.safetensors.index.json', 'w'))
torch.save(sd, inp['bin'] + '/pytorch_model.bin')
torch.save({k: sd[k] for k in keys[:3]}, inp['binShard'] + '/pytorch_model-00001-of-00002.bin')
torch.save({k: sd[k] for k in keys[3:]}, inp['binShard'] + '/pytorch_model-00002-of-00002.bin')
json.dump({'weight_map': {k: ('pytorch_model-00001-of-00002.bin' if i < 3 else 'pytorch_model-00002-of-00002.bin') for i, k in enumerate(keys)}}, open(inp['binShard'] + '/pytorch_model.bin.index.json', 'w'))
for d in (inp['shard'], inp['bin'], inp['binShard']):
    json.dump({'model_type': 'bert'}, open(d + '/config.json', 'w'))
out({k: v.flatten().tolist() for k, v in sd.items()})`,
    { shard: shardDir, bin: binDir, binShard: binShardDir },
  );
  for (const [label, dir, files] of [['sharded safetensors', shardDir, 2], ['pytorch_model.bin', binDir, 1], ['sharded .bin', binShardDir, 2]] as const) {
    const ckpt = io.loadCheckpoint(dir);
    t.equal(ckpt.files.length, files, `${label}: ${files} file(s)`);
    t.same(ckpt.config, { model_type: 'bert' });
    t.same(ckpt.renamed, { 'bert.embeddings.LayerNorm.gamma': 'bert.embeddings.LayerNorm.weight', 'bert.embeddings.LayerNorm.beta': 'bert.embeddings.LayerNorm.bias' });
    t.same(Object.keys(ckpt.stateDict).sort(), ['bert.embeddings.LayerNorm.bias', 'bert.embeddings.LayerNorm.weight', 'bert.embeddings.position_ids', 'bert.embeddings.word_embeddings.weight', 'cls.predictions.bias']);
    t.same(ckpt.stateDict['bert.embeddings.LayerNorm.weight']!.flatten().toArray(), ref['bert.embeddings.LayerNorm.gamma'], `${label}: values bit for bit`);
    t.same(ckpt.stateDict['bert.embeddings.position_ids']!.dtype, 'int64');
    t.same(ckpt.stateDict['bert.embeddings.word_embeddings.weight']!.shape, [5, 4]);
  }
  const viaAsync = await io.loadCheckpointAsync(shardDir);
  t.same(viaAsync.stateDict['cls.predictions.bias']!.toArray(), ref['cls.predictions.bias']);
});

t.test('bad folders are clear errors', async (t) => {
  const empty = join(root, 'empty');
  mkdirSync(empty);
  t.throws(() => io.loadCheckpoint(empty), /no weights in .*empty: expected model.safetensors/);
  t.throws(() => io.loadCheckpoint(join(root, 'missing')), /model folder .*missing does not exist/);
  const badConfig = join(root, 'bad-config');
  mkdirSync(badConfig);
  writeFileSync(join(badConfig, 'config.json'), '{ not json');
  t.throws(() => io.loadCheckpoint(badConfig), /config .*config.json is not valid JSON/);
  const badIndex = join(root, 'bad-index');
  mkdirSync(badIndex);
  writeFileSync(join(badIndex, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'gone.safetensors' } }));
  t.throws(() => io.loadCheckpoint(badIndex), /names .*gone.safetensors, which is missing/);
  const badBin = join(root, 'bad-bin');
  mkdirSync(badBin);
  writeFileSync(join(badBin, 'pytorch_model.bin'), 'not a zip at all');
  t.throws(() => io.loadCheckpoint(badBin), { code: 'NOT_ZIP' }, 'a file that is no torch.save archive is refused before libtorch reads it');
  t.throws(() => io.loadCheckpoint(badBin), /bad-bin\/pytorch_model\.bin: /, 'and the error names the file');
  t.equal(torch.ones([1]).item(), 1, 'the process lives on');
});
