// Pretraining steps (forward, backward, AdamW) in tokens per second: plm-torch's pretraining
// model of a family (BertForPreTraining; RobertaForMaskedLM and ModernBertForMaskedLM for the
// MLM-only families) against transformers' on the same torch wheel, the same configuration
// and the same synthetic batch, the two taking turns in one run. Also the peak resident memory
// of each for the same steps (each in a fresh process) and the data pipeline's share of a
// step. Writes a table to bench/results/pretraining-DATE.md.
// Usage: node dist/bench/pretraining.js [--quick] [--configs mini-fp32,mini-bf16,base-fp32,roberta-base-fp32,modernbert-base-fp32]
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { data, io, models, optim, torch, train } from '../lib/index.js';
import { packageRoot } from '../lib/native.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';

interface Case {
  name: string;
  /** The family (model_type); its pretraining model is MLM + NSP where it has NSP, else MLM. */
  arch: 'bert' | 'roberta' | 'modernbert';
  preset: 'mini' | 'base';
  dtype: 'float32' | 'bfloat16';
  batch: number;
}

const CASES: Case[] = [
  { name: 'mini-fp32', arch: 'bert', preset: 'mini', dtype: 'float32', batch: 16 },
  { name: 'mini-bf16', arch: 'bert', preset: 'mini', dtype: 'bfloat16', batch: 16 },
  { name: 'base-fp32', arch: 'bert', preset: 'base', dtype: 'float32', batch: 8 },
  { name: 'base-bf16', arch: 'bert', preset: 'base', dtype: 'bfloat16', batch: 8 },
  { name: 'roberta-base-fp32', arch: 'roberta', preset: 'base', dtype: 'float32', batch: 8 },
  { name: 'modernbert-base-fp32', arch: 'modernbert', preset: 'base', dtype: 'float32', batch: 8 },
];
const withNsp = (c: Case) => models.familyOf(c.arch).nextSentencePrediction === true;
const SEQ = 128;
const VOCAB = 30522;

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, configs: { type: 'string', default: 'mini-fp32,mini-bf16,base-fp32' }, rounds: { type: 'string' }, device: { type: 'string', default: 'cpu' }, python: { type: 'string' }, 'no-peer': { type: 'boolean', default: false } },
});
const device = values.device as 'cpu' | 'cuda';
if (device !== 'cpu' && device !== 'cuda') throw new Error(`--device must be cpu or cuda, got ${device}`);
const cases = values.configs!.split(',').map((n) => CASES.find((c) => c.name === n) ?? (() => { throw new Error(`unknown config ${n}`); })());
const rounds = Number(values.rounds ?? (values.quick ? 2 : 4));
const python = values.python ?? process.env.PLM_TORCH_PYTHON ?? join(packageRoot, '.venv/bin/python');
if (!existsSync(python)) throw new Error('run npm test (or node scripts/setup.mjs) first: the bench needs .venv with torch and transformers');
const dir = mkdtempSync(join(tmpdir(), 'plm-bench-pretrain-'));

/** The preset's config.json fields, as the family's config class writes them (transformers reads the same). */
function configFields(c: Case): Record<string, unknown> {
  const family = models.familyOf(c.arch);
  const positions = family.positionFields?.(512) ?? { max_position_embeddings: 512 };
  const config = new family.configClass({ ...family.presets![c.preset], vocab_size: VOCAB, pad_token_id: 1, ...positions });
  // Special ids past this vocabulary (ModernBERT's 50281...) point at an ordinary token instead.
  const ids = Object.fromEntries(Object.entries(config.toJSON()).filter(([k, v]) => k.endsWith('_token_id') && typeof v === 'number' && v >= VOCAB).map(([k]) => [k, 2]));
  return { ...config.toJSON(), ...ids, architectures: [transformersClass(c)] };
}
const transformersClass = (c: Case) => models.modelClassFor(models.familyOf(c.arch), withNsp(c) ? 'preTraining' : 'maskedLM').architecture;

/** A batch as the collator makes them: 15% of positions masked and labelled, NSP labels, no padding. */
function writeBatch(c: Case): string {
  const r = new data.Random(11);
  // Ids from 5 up: no padding (pad is 1), a special first token.
  const ids = Array.from({ length: c.batch }, () => Array.from({ length: SEQ }, (_, i) => (i === 0 ? 2 : 5 + r.int(VOCAB - 5))));
  const labels = ids.map((row) => row.map((id, i) => (i > 0 && r.next() < 0.15 ? id : -100)));
  const path = join(dir, `${c.name}.safetensors`);
  io.saveSafetensors(path, {
    input_ids: torch.tensor(ids, { dtype: 'int64' }),
    token_type_ids: torch.tensor(ids.map((row) => row.map((_, i) => (i < SEQ / 2 ? 0 : 1))), { dtype: 'int64' }),
    attention_mask: torch.ones([c.batch, SEQ], { dtype: 'int64' }),
    labels: torch.tensor(labels, { dtype: 'int64' }),
    next_sentence_label: torch.tensor(ids.map((_, i) => i % 2), { dtype: 'int64' }),
  });
  return path;
}

class Peer {
  readonly #child: ChildProcessWithoutNullStreams;
  #buffer = '';
  #resolve: ((line: string) => void) | undefined;
  constructor() {
    this.#child = spawn(python, [join(packageRoot, 'bench/peer/pretraining_step.py'), device]);
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString();
      const nl = this.#buffer.indexOf('\n');
      if (nl >= 0 && this.#resolve) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        this.#resolve(line);
      }
    });
    this.#child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  }
  run(configPath: string, batchPath: string, dtype: string, steps: number): Promise<{ seconds: number; loss: number; peakRss: number }> {
    return new Promise((resolve) => {
      this.#resolve = (line) => resolve(JSON.parse(line) as { seconds: number; loss: number; peakRss: number });
      this.#child.stdin.write(`${configPath} ${batchPath} ${dtype} ${steps}\n`);
    });
  }
  close(): void {
    this.#child.stdin.end();
  }
}

class Ours {
  readonly model: models.PreTrainingModel | models.MaskedLanguageModel;
  readonly optimizer: optim.AdamW;
  readonly batch: { inputIds: torch.Tensor; attentionMask: torch.Tensor; labels: torch.Tensor; tokenTypeIds?: torch.Tensor; nextSentenceLabel?: torch.Tensor };
  constructor(c: Case, batchPath: string) {
    torch.manualSeed(0);
    const config = models.AutoConfig.forModel(c.arch, configFields(c));
    this.model = withNsp(c) ? models.AutoModelForPreTraining.fromConfig(config) : models.AutoModelForMaskedLM.fromConfig(config);
    this.model.to(device);
    this.model.train();
    this.optimizer = new optim.AdamW(this.model.parameters(), { lr: 1e-4, weightDecay: 0.01 });
    const b = io.loadSafetensors(batchPath);
    const on = (t: torch.Tensor) => torch.keep(t.to(device));
    this.batch = withNsp(c)
      ? { inputIds: on(b.input_ids!), tokenTypeIds: on(b.token_type_ids!), attentionMask: on(b.attention_mask!), labels: on(b.labels!), nextSentenceLabel: on(b.next_sentence_label!) }
      : { inputIds: on(b.input_ids!), attentionMask: on(b.attention_mask!), labels: on(b.labels!) };
  }
  run(dtype: string, steps: number): { seconds: number; loss: number } {
    const started = performance.now();
    let loss = 0;
    for (let i = 0; i < steps; i++) {
      torch.tidy(() => {
        const forward = () => (this.model as models.MaskedLanguageModel).forward(this.batch);
        const out = dtype === 'bfloat16' ? torch.autocast({ device, dtype: 'bfloat16' }, forward) : forward();
        out.loss.backward();
        this.optimizer.step();
        this.optimizer.zeroGrad();
        loss = out.loss.item() as number;
      });
    }
    return { seconds: (performance.now() - started) / 1000, loss };
  }
}

/**
 * Model FLOPs of one training token (forward and backward = 3x forward): 6 per weight of the
 * encoder, pooler and MLM transform, the attention matmuls, and the MLM decoder at the 15% of
 * positions that are predicted (as plm-torch computes it; transformers computes all positions).
 */
function trainingFlopsPerToken(c: Case): number {
  const f = configFields(c) as Record<string, number>;
  const h = f.hidden_size!;
  const layers = f.num_hidden_layers!;
  const ffn = f.intermediate_size!;
  // ModernBERT's GeGLU feed-forward projects to 2 × intermediate_size.
  const perLayer = 4 * h * h + (c.arch === 'modernbert' ? 3 : 2) * h * ffn;
  return 6 * (layers * perLayer + h * h) + 6 * layers * 2 * SEQ * h + 6 * 0.15 * (h * h + h * VOCAB);
}
/** Dense peak of the device, for MFU: PLM_PEAK_TFLOPS, else H100/H200 bf16 989 TFLOPS on CUDA; unknown on CPU. */
const peakFlops = process.env.PLM_PEAK_TFLOPS ? Number(process.env.PLM_PEAK_TFLOPS) * 1e12 : device === 'cuda' ? 989e12 : 0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// --no-peer: plm-torch alone (a GPU machine without transformers), ratios shown as '–'.
const peer = values['no-peer'] ? null : new Peer();
const rows: string[] = [];
const results: Record<string, unknown>[] = [];
for (const c of cases) {
  const configPath = join(dir, `${c.name}.json`);
  writeFileSync(configPath, JSON.stringify(configFields(c)));
  const batchPath = writeBatch(c);
  const ours = new Ours(c, batchPath);
  const steps = c.preset === 'base' ? (values.quick ? 2 : 3) : values.quick ? 4 : 8;
  // Warm-up: allocator, oneDNN primitive caches, autograd graph shapes.
  ours.run(c.dtype, 2);
  await peer?.run(configPath, batchPath, c.dtype, 2);
  const oursTimes: number[] = [];
  const peerTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    oursTimes.push(ours.run(c.dtype, steps).seconds / steps);
    peerTimes.push(peer ? (await peer.run(configPath, batchPath, c.dtype, steps)).seconds / steps : NaN);
  }
  const tokens = c.batch * SEQ;
  const a = tokens / median(oursTimes);
  const flopsPerToken = trainingFlopsPerToken(c);
  const b = tokens / median(peerTimes);
  const mfu = (x: number) => (peakFlops ? `${((x * flopsPerToken * 100) / peakFlops).toFixed(1)}%` : '–');
  results.push({ case: c.name, mfuOurs: mfu(a), mfuTransformers: mfu(b), oursTokensPerSecond: a, transformersTokensPerSecond: b, ratio: a / b, oursStepMs: median(oursTimes) * 1000, transformersStepMs: median(peerTimes) * 1000 });
  rows.push(`| ${c.name} (${transformersClass(c)}, batch ${c.batch}×${SEQ}) | ${Math.round(a)} | ${Math.round(b)} | **${(a / b).toFixed(2)}x** | ${(median(oursTimes) * 1000).toFixed(0)} / ${(median(peerTimes) * 1000).toFixed(0)} ms | ${mfu(a)} / ${mfu(b)} |`);
  console.log(rows.at(-1));
  ours.model.parameters().forEach((p) => p.dispose());
}
peer?.close();

// Peak memory: each side alone in a fresh process, 3 steps of each case.
function peakMemory(c: Case): { ours: number; peer: number } {
  const script = `
import { io, models, optim, torch } from ${JSON.stringify(join(packageRoot, 'dist/lib/index.js'))};
const config = models.AutoConfig.forModel(${JSON.stringify(c.arch)}, ${JSON.stringify(configFields(c))});
torch.manualSeed(0);
const model = models.${withNsp(c) ? 'AutoModelForPreTraining' : 'AutoModelForMaskedLM'}.fromConfig(config); model.train();
const opt = new optim.AdamW(model.parameters(), { lr: 1e-4 });
const b = io.loadSafetensors(${JSON.stringify(join(dir, `${c.name}.safetensors`))});
for (let i = 0; i < 3; i++) torch.tidy(() => { const f = () => model.forward({ inputIds: b.input_ids, attentionMask: b.attention_mask, labels: b.labels${withNsp(c) ? ', tokenTypeIds: b.token_type_ids, nextSentenceLabel: b.next_sentence_label' : ''} });
  const out = ${c.dtype === 'bfloat16' ? "torch.autocast({ device: 'cpu', dtype: 'bfloat16' }, f)" : 'f()'}; out.loss.backward(); opt.step(); opt.zeroGrad(); });
// VmHWM: this process's own peak (getrusage's maximum is inherited from the parent).
console.log(Number(/VmHWM:\\s+(\\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'))[1]) * 1024);`;
  const ours = Number(spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout.trim());
  const peer = Number(
    (JSON.parse(spawnSync(python, [join(packageRoot, 'bench/peer/pretraining_step.py')], { input: `${join(dir, `${c.name}.json`)} ${join(dir, `${c.name}.safetensors`)} ${c.dtype} 3\n`, encoding: 'utf8' }).stdout.trim()) as { peakRss: number }).peakRss,
  );
  return { ours, peer };
}
const memory = device === 'cpu' && peer ? cases.map((c) => ({ name: c.name, ...peakMemory(c) })) : [];

// The data pipeline's share: building one batch from shards versus one mini step.
const corpus = join(dir, 'corpus.txt');
writeSyntheticCorpus(corpus, { documents: 400, sentences: 8, words: 14, distinctWords: 3000, seed: 3 });
const tokenizer = (await data.trainTokenizer([corpus], { vocabSize: 5000 })).tokenizer;
await data.prepareShards([corpus], tokenizer, join(dir, 'shards'));
const batches = new train.PretrainingBatches(
  new data.PretrainingStream(new data.ShardedCorpus(join(dir, 'shards')), { mode: 'nsp', maxSeqLength: SEQ, seed: 1, clsId: tokenizer.clsId, sepId: tokenizer.sepId }),
  { vocabSize: tokenizer.vocabSize, maskId: tokenizer.maskId, padId: tokenizer.padId, specialIds: tokenizer.specialIds, seed: 2 },
  16,
);
for (let i = 0; i < 5; i++) torch.tidy(() => void batches.next());
const pipelineStarted = performance.now();
for (let i = 0; i < 50; i++) torch.tidy(() => void batches.next());
const pipelineMs = (performance.now() - pipelineStarted) / 50;
const miniStep = (results.find((x) => x.case === 'mini-fp32')?.oursStepMs as number | undefined) ?? NaN;

const versions = spawnSync(python, ['-c', `import torch\ntry:\n import transformers; v = transformers.__version__\nexcept ImportError:\n v = 'absent'\nprint(torch.__version__, v${device === 'cuda' ? ', torch.cuda.get_device_name(0)' : ''})`], { encoding: 'utf8' }).stdout.trim().split(' ');
const lines = [
  `# Pretraining throughput, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical cores${device === 'cuda' ? `, ${versions.slice(2).join(' ')}` : ''}; device ${device}; torch ${versions[0]}, transformers ${versions[1]}; sequence ${SEQ}, vocabulary ${VOCAB}; median of ${rounds} alternating rounds.`,
  '',
  '| case | plm-torch tokens/s | transformers tokens/s | ratio | step (ours / theirs) | model FLOPs utilisation |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  'Peak resident memory (VmHWM), 3 steps in a fresh process:',
  '',
  '| case | plm-torch | transformers | ratio |',
  '|---|---:|---:|---:|',
  ...memory.map((m) => `| ${m.name} | ${(m.ours / 2 ** 20).toFixed(0)} MiB | ${(m.peer / 2 ** 20).toFixed(0)} MiB | ${(m.ours / m.peer).toFixed(2)}x |`),
  '',
  `Data pipeline (shards → NSP pairs → masked batch of 16×${SEQ}): ${pipelineMs.toFixed(2)} ms a batch${Number.isNaN(miniStep) ? '' : `, ${((pipelineMs / miniStep) * 100).toFixed(1)}% of a BERT-mini float32 step`}.`,
];
const report = `${lines.join('\n')}\n`;
console.log(`\n${report}`);
mkdirSync(join(packageRoot, 'bench/results'), { recursive: true });
writeFileSync(join(packageRoot, 'bench/results', `pretraining-${new Date().toISOString().slice(0, 10)}.md`), report);
