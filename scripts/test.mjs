#!/usr/bin/env node
// Runs the tap suite and ends with one plain line, 'N passed, N failed, N skipped', that any
// CI reads. Arguments pass through to tap (`npm test -- dist/test/torch/memory.test.js`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tap = join(dirname(require.resolve('tap/package.json')), 'dist/esm/run.mjs');
const child = spawn(process.execPath, [tap, ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });

let tail = '';
let line = '';
const failedFiles = [];
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
  // Top-level 'not ok' lines name whole files; a file can fail with every assertion passing
  // (a plan/count mismatch, a crash after its last assertion), so the counts alone mislead.
  const lines = (line + chunk.toString()).split('\n');
  line = lines.pop() ?? '';
  for (const l of lines) {
    const failed = /^not ok \d+ - (\S+)/.exec(l);
    if (failed) failedFiles.push(failed[1]);
  }
});
child.on('close', (code, signal) => {
  const summary = [...tail.matchAll(/# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?/g)].pop();
  if (summary) {
    const [, , pass = '0', fail = '0', skip = '0'] = summary;
    process.stdout.write(`${pass} passed, ${fail} failed, ${skip} skipped\n`);
  }
  if (failedFiles.length > 0) process.stdout.write(`failed files: ${failedFiles.join(', ')}\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
