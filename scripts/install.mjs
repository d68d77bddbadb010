#!/usr/bin/env node
// `npm i plm-torch`: use a prebuilt addon when one loads, else build against the libtorch that
// scripts/find-libtorch.mjs finds. This script never fails the install: npm would roll it back
// and leave nothing to fix. Without a libtorch (or when the build fails) the package installs
// without its addon, says in a few lines what to run, and the first use says it again.
// In a git checkout, `npm test` (scripts/setup.mjs) builds instead.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function install() {
  if (process.env.PLM_TORCH_SKIP_INSTALL === '1' || existsSync(join(root, '.git'))) return;
  try {
    createRequire(import.meta.url)('node-gyp-build')(root);
    return;
  } catch {
    // No prebuild (or earlier build) that loads here: build from source if a libtorch is at hand.
  }
  const { buildAddon, terminalStream } = await import('./build-addon.mjs');
  const { findLibtorch, LibtorchNotFound } = await import('./find-libtorch.mjs');
  const out = terminalStream();
  let found;
  try {
    found = findLibtorch();
  } catch (err) {
    if (!(err instanceof LibtorchNotFound)) throw err;
    out.write(
      '[plm-torch] installed without its native addon: no libtorch (PyTorch 2.1+) was found.\n' +
        '[plm-torch] run `npx plm-torch setup` to install torch in a private venv and build it (a few minutes).\n',
    );
    return;
  }
  out.write(`[plm-torch] libtorch ${found.version} from ${found.source}\n`);
  const result = await buildAddon({ stream: out });
  if (!result.ok) {
    out.write(`${result.tail}\n[plm-torch] installed without its native addon; the whole build log is ${result.log}.\n[plm-torch] fix the cause above, then run \`npx plm-torch setup\`.\n`);
  }
}

try {
  await install();
} catch (err) {
  process.stderr.write(`[plm-torch] installed without its native addon (${err instanceof Error ? err.message : String(err)}); run \`npx plm-torch setup\`.\n`);
}
process.exit(0);
