import t from 'tap';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { workerExecArgv } from '../../lib/worker/exec-argv.js';

const index = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../../lib/index.js')).href;

t.test('the entry point\'s flags are left out of a worker\'s execArgv, the rest kept in order', async (t) => {
  t.same(workerExecArgv(['--input-type=module', '-e', 'code', '--enable-source-maps']), ['--enable-source-maps']);
  t.same(workerExecArgv(['--input-type', 'module', '--eval', 'x', '--import', 'tsx']), ['--import', 'tsx']);
  t.same(workerExecArgv(['--input_type=commonjs', '-p', '1+1']), [], 'Node reads --input_type as --input-type');
  t.same(workerExecArgv(['-p', '--conditions=dev']), ['--conditions=dev'], '-p before a flag takes no code');
  t.same(workerExecArgv(['-pe', 'code', '--no-warnings']), ['--no-warnings']);
  t.same(workerExecArgv(['--watch', '--watch-path', 'src', '--test', '-c', '-i', '--require', './r.cjs']), ['--require', './r.cjs']);
  t.same(workerExecArgv(['--max-old-space-size=4096', '--expose-gc']), ['--max-old-space-size=4096', '--expose-gc'], 'left to startWorker to drop if Node refuses them');
});

/** Runs `code` as `node [flags] --input-type=module -e code`: the host the issue names. */
function host(flags: string[], code: string) {
  return spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
}

t.test('train.start() and openModel() work from `node --input-type=module -e ...`', async (t) => {
  // The run's worker starts and reports its own error about the missing records: before the
  // filter it failed to start ("--input-type can only be used with string input via --eval").
  const code = `
    import { train, inference } from '${index}';
    const run = train.start({ command: 'finetune', from: '/nonexistent-model', train: '/nonexistent.jsonl', eval: '/nonexistent.jsonl', out: '/tmp/never' });
    const err = await run.done.then(() => null, (e) => e);
    console.log('run:', err.message);
    const opened = await inference.openModel('/nonexistent-model').then(() => null, (e) => e);
    console.log('model:', opened.message);`;
  for (const flags of [[], ['--max-old-space-size=2048', '--expose-gc', '--no-warnings']]) {
    const result = host(flags, code);
    t.equal(result.status, 0, result.stderr);
    t.notMatch(result.stdout + result.stderr, /input-type|ERR_WORKER_INVALID_EXEC_ARGV/, `flags ${flags.join(' ') || '(none)'}`);
    t.match(result.stdout, /run: .*nonexistent/);
    t.match(result.stdout, /model: .*nonexistent-model/);
  }
});
