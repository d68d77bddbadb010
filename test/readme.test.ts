import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every TypeScript example in README.md is compiled, as a user's own file importing
// 'plm-torch' by name, against the package's published types and with nothing declared for
// it, so the documentation cannot drift from the API and each example says where its values
// come from. The examples marked `<!-- runs -->` on the line before their block (those that
// need no files, models or network) are also run, each in its own process, and must exit 0.
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^(<!-- runs\b[^\n]*-->\n)?```ts\n([\s\S]*?)^```/gm)].map((m, i) => ({
  file: `example-${i + 1}`,
  code: m[2]!,
  runs: m[1] !== undefined,
}));
const runnable = examples.filter((e) => e.runs);

const dir = mkdtempSync(join(tmpdir(), 'plm-readme-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
symlinkSync(root, join(dir, 'node_modules/plm-torch'));
symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
for (const e of examples) writeFileSync(join(dir, `${e.file}.ts`), e.code);
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: '.compiled', types: ['node'] },
  include: ['*.ts'],
}));

t.test('README has TypeScript examples and each one compiles on its own against the published types', async (t) => {
  t.ok(examples.length >= 7, `${examples.length} examples`);
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  t.equal(result.status, 0, `tsc found errors in README examples (example-N is the Nth \`\`\`ts block):\n${result.stdout}${result.stderr}`);
});

t.test('the examples marked <!-- runs --> run as written and exit 0', async (t) => {
  t.ok(runnable.length >= 3, `${runnable.length} runnable examples: ${runnable.map((e) => e.file).join(', ')}`);
  const runs = runnable.map((e) => new Promise<{ file: string; code: number | null; signal: string | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [join('.compiled', `${e.file}.js`)], { cwd: dir, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code, signal) => resolve({ file: e.file, code, signal, output }));
  }));
  for (const run of await Promise.all(runs)) {
    t.equal(run.code, 0, `${run.file} (\`\`\`ts block ${run.file.slice(8)}) exits 0`, { signal: run.signal, output: run.output });
  }
});
