// Temporaries of dead writers are removed by the next write into the same folder; those of
// live processes, and names that are not ours, are not.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { data, io, torch } from '../../lib/index.js';

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());

t.test('isProcessAlive tells a finished child from this process and pid 1', async (t) => {
  t.equal(io.isProcessAlive(process.pid), true);
  t.equal(io.isProcessAlive(1), true, 'init exists (EPERM counts as alive)');
  t.equal(io.isProcessAlive(deadPid()), false);
});

t.test('saving a weights file removes the dead temporaries of that file only', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plm-stale-'));
  const dead = deadPid();
  for (const name of [`model.safetensors.tmp-${dead}-ab12`, `other.safetensors.tmp-${dead}-cd34`, `model.safetensors.tmp-${process.pid}-ef56`, 'notes.tmp-abc']) {
    writeFileSync(join(dir, name), 'x');
  }
  io.saveSafetensors(join(dir, 'model.safetensors'), { w: torch.ones([2]) });
  t.same(readdirSync(dir).sort(), ['model.safetensors', `model.safetensors.tmp-${process.pid}-ef56`, 'notes.tmp-abc', `other.safetensors.tmp-${dead}-cd34`].sort());
  // A whole model folder written here: every dead temporary in it goes.
  io.saveCheckpoint(dir, { w: torch.ones([2]) }, { model_type: 'bert' });
  t.notOk(existsSync(join(dir, `other.safetensors.tmp-${dead}-cd34`)));
  t.ok(existsSync(join(dir, 'notes.tmp-abc')), 'a name without a pid is not ours');
  t.same(io.removeStaleTemporaries(join(dir, 'missing')), [], 'a missing folder is nothing to do');
});

t.test('prepareShards removes the partial folders of killed runs into the same OUT', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plm-stale-shards-'));
  const dead = deadPid();
  mkdirSync(join(dir, `.shards.partial-${dead}`));
  mkdirSync(join(dir, `.other.partial-${dead}`));
  writeFileSync(join(dir, 'corpus.txt'), 'a b c.\nb c a.\n\nc a b.\n');
  const { tokenizer } = await data.trainTokenizer([join(dir, 'corpus.txt')], { vocabSize: 40 });
  await data.prepareShards([join(dir, 'corpus.txt')], tokenizer, join(dir, 'shards'));
  t.notOk(existsSync(join(dir, `.shards.partial-${dead}`)));
  t.ok(existsSync(join(dir, `.other.partial-${dead}`)), "another OUT's partial folder is not this run's to remove");
});
