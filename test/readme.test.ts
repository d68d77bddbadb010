import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every TypeScript example in README.md is compiled, as a user's own file importing
// 'plm-torch' by name, against the package's published types, so the documentation cannot
// drift from the API. The names an example takes as given (a batch, a model, a signal) are
// declared once below; an example that defines one of them shadows the declaration.
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!);

const givens = `import type * as plm from 'plm-torch';
declare global {
  const x: plm.Tensor, labels: plm.Tensor, inputIds: plm.Tensor, attentionMask: plm.Tensor,
    tokenTypeIds: plm.Tensor, t: plm.Tensor;
  const rank: number, worldSize: number;
  const signal: AbortSignal;
  const bar: { update(fraction: number, payload: { loss: number }): void };
  const model: plm.bert.BertForPreTraining;
  type NspBatch = plm.bert.PreTrainingInputs & { labels: plm.Tensor; nextSentenceLabel: plm.Tensor };
  const batch: NspBatch, micro: NspBatch;
}
`;

t.test('README has TypeScript examples and each one compiles against the published types', async (t) => {
  t.ok(examples.length >= 6, `${examples.length} examples`);
  const dir = mkdtempSync(join(tmpdir(), 'plm-readme-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules/plm-torch'));
  symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'givens.d.ts'), givens);
  examples.forEach((code, i) => writeFileSync(join(dir, `example-${i + 1}.ts`), code));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
    include: ['*.ts'],
  }));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  t.equal(result.status, 0, `tsc found errors in README examples (example-N is the Nth \`\`\`ts block):\n${result.stdout}${result.stderr}`);
});
