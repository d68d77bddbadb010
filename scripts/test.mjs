#!/usr/bin/env node
// Runs the tap suite and ends with one plain line, 'N passed, N failed, N skipped', that any
// CI reads, and the files that failed. Arguments pass through to tap
// (`npm test -- dist/test/torch/memory.test.js`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tap = join(dirname(require.resolve('tap/package.json')), 'dist/esm/run.mjs');
const child = spawn(process.execPath, [tap, ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });

let partial = '';
let summary;
const failedFiles = [];
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    summary = /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?/.exec(line) ?? summary;
    // Top-level 'not ok' lines name whole files; a file can fail with every assertion passing
    // (a plan/count mismatch, a crash after its last assertion), so the counts alone mislead.
    const failed = /^not ok \d+ - (\S+)/.exec(line);
    if (failed) failedFiles.push(failed[1]);
  }
});
child.on('close', (code, signal) => {
  if (summary) {
    const [, , pass = '0', fail = '0', skip = '0'] = summary;
    process.stdout.write(`${pass} passed, ${fail} failed, ${skip} skipped\n`);
  }
  if (failedFiles.length > 0) process.stdout.write(`failed files: ${failedFiles.join(', ')}\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
