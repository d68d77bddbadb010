import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildAddonScript } from '../../lib/cli/build-scripts.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const script = await buildAddonScript();

t.test("cmake-js gets the running Node's headers, whatever npm's environment says", async (t) => {
  const prefix = dirname(dirname(process.execPath));
  t.ok(existsSync(join(prefix, 'include/node/node.h')), 'this Node ships its headers');
  t.equal(script.nodeHeadersDir(), prefix);
  const home = mkdtempSync(join(tmpdir(), 'plm-home-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  // As `node scripts/setup.mjs` run by hand: no npm_config_nodedir, no ~/.npmrc.
  const bare = { PATH: process.env.PATH, HOME: home };
  const cmakeJs = join(root, 'node_modules/cmake-js/bin/cmake-js');
  const include = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [cmakeJs, 'print-cmakejs-include'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  const withoutHeaders = include(bare);
  t.notMatch(withoutHeaders.stdout, /include\/node/, 'cmake-js alone would download headers (and here, fail)');
  const given = include(script.buildEnvironment(bare));
  t.equal(given.status, 0, given.stderr);
  t.match(given.stdout, new RegExp(`^${join(prefix, 'include/node')}$`, 'm'));
  t.equal(script.buildEnvironment({ npm_config_nodedir: '/nowhere' }).npm_config_nodedir, prefix, "this Node's headers win over npm's setting");
});

t.test('build output lines become progress', async (t) => {
  t.same(script.parseBuildLine('[4/20] Building CXX object CMakeFiles/plm_torch.dir/native/napi/errors.cc.o'), { phase: 'compiling', done: 4, total: 20 });
  t.same(script.parseBuildLine('[20/20] Linking CXX shared module Release/plm_torch.node'), { phase: 'linking', done: 20, total: 20 });
  t.same(script.parseBuildLine('[ 45%] Building CXX object x.o'), { phase: 'compiling', done: 45, total: 100 });
  t.equal(script.parseBuildLine('info TOOL Using Ninja generator'), undefined);
});

t.test('the progress display: one line rewritten on a terminal, quarters in a log', async (t) => {
  const writes: string[] = [];
  const tty = script.progressDisplay({ isTTY: true, write: (s: string) => writes.push(s) });
  tty.update({ phase: 'compiling', done: 3, total: 20 });
  tty.finish('done');
  t.ok(writes.every((w) => w.startsWith('\r\x1b[K')), 'each redraw clears the line first');
  t.match(writes[1]!, /compiling 3\/20 · \d+s/);
  t.equal(writes.at(-1), '\r\x1b[Kdone\n');
  const lines: string[] = [];
  const log = script.progressDisplay({ isTTY: false, write: (s: string) => lines.push(s) });
  for (let i = 1; i <= 20; i++) log.update({ phase: 'compiling', done: i, total: 20 });
  log.finish('done');
  // configuring; then quarters 0 (1/20), 1 (5/20), 2 (10/20), 3 (15/20), 4 (20/20); then done.
  t.same(lines.map((l) => /(\d+)\/20/.exec(l)?.[1] ?? l.trim().split(' ').pop()), ['0s', '1', '5', '10', '15', '20', 'done']);
});
