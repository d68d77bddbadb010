#!/usr/bin/env node
// `npm i plm-torch`: use a prebuilt addon when one loads, else build against the libtorch
// that scripts/find-libtorch.mjs finds. In a git checkout, `npm test` (scripts/setup.mjs)
// does the build instead, so a plain `npm install` there never fails for want of torch.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.env.PLM_TORCH_SKIP_INSTALL === '1' || existsSync(join(root, '.git'))) process.exit(0);

try {
  createRequire(import.meta.url)('node-gyp-build')(root);
  process.exit(0);
} catch {
  // No prebuild for this platform and libtorch: build from source.
}
const cmakeJs = join(root, 'node_modules/cmake-js/bin/cmake-js');
const cli = existsSync(cmakeJs) ? cmakeJs : createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
const result = spawnSync(process.execPath, [cli, 'compile', '--out', 'build'], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
