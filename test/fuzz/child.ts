// One fuzz batch, in a process of its own: `node child.js SEED CALLS LOG`. Calls public
// functions, constructors, methods and getters of the package with hostile arguments, writes
// each call to LOG before making it (so a parent that finds this process killed, aborted or
// stuck knows the call), and prints a JSON summary. A call may throw; it must not abort the
// process, leave an exception uncaught, or take more than CALL_LIMIT_MS.
import { mkdirSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as lib from '../../lib/index.js';
import { anyValue, isTensor, makeFixtures, Rng, type Value } from './values.js';

const { bert, data, nn, optim, torch } = lib;

const CALL_LIMIT_MS = 10_000;

/** Never called: they start workers or peers that wait for each other, or delete files by pattern. */
const EXCLUDED = new Set([
  'inference.openModel', 'inference.ModelWorker', 'train.start', 'train.TrainingRun', 'train.observeTrainers',
  'io.removeStaleTemporaries',
]);
const EXCLUDED_NAMESPACES = new Set(['distributed']);

interface Target {
  name: string;
  arity: number;
  /** The class whose instances are the receivers, for methods and getters. */
  receiverClass?: abstract new (...args: never[]) => unknown;
  call(receiver: unknown, args: unknown[]): unknown;
}

function isClass(f: unknown): f is new (...args: unknown[]) => unknown {
  return typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));
}

function collect(prefix: string, object: Record<string, unknown>, targets: Target[], seen: Set<unknown>, depth: number): void {
  for (const [key, value] of Object.entries(object)) {
    const name = `${prefix}.${key}`;
    if (EXCLUDED.has(name) || seen.has(value)) continue;
    if (isClass(value)) {
      seen.add(value);
      const C = value;
      targets.push({ name: `new ${name}`, arity: C.length, call: (_r, args) => new C(...args) });
      for (const s of Object.getOwnPropertyNames(C)) {
        if (['length', 'name', 'prototype'].includes(s)) continue;
        const d = Object.getOwnPropertyDescriptor(C, s)!;
        if (typeof d.value === 'function') targets.push({ name: `${name}.${s}`, arity: d.value.length, call: (_r, args) => (d.value as (...a: unknown[]) => unknown).apply(C, args) });
      }
      for (const m of Object.getOwnPropertyNames(C.prototype)) {
        if (m === 'constructor') continue;
        const d = Object.getOwnPropertyDescriptor(C.prototype, m)!;
        const receiverClass = C as abstract new (...args: never[]) => unknown;
        if (typeof d.value === 'function') {
          const f = d.value as (...a: unknown[]) => unknown;
          targets.push({ name: `${name}#${m}`, arity: f.length, receiverClass, call: (r, args) => f.apply(r, args) });
        } else if (d.get) {
          const g = d.get;
          targets.push({ name: `${name}#${m} (getter)`, arity: 0, receiverClass, call: (r) => g.call(r) });
        }
      }
    } else if (typeof value === 'function') {
      seen.add(value);
      const f = value as (...a: unknown[]) => unknown;
      targets.push({ name, arity: f.length, call: (_r, args) => f(...args) });
    } else if (value !== null && typeof value === 'object' && depth < 2 && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      seen.add(value);
      collect(name, value as Record<string, unknown>, targets, seen, depth + 1);
    }
  }
}

export function surface(): Target[] {
  const targets: Target[] = [];
  const seen = new Set<unknown>();
  for (const [ns, value] of Object.entries(lib)) {
    if (EXCLUDED_NAMESPACES.has(ns)) continue;
    if (isClass(value)) collect('', { [ns]: value }, targets, seen, 0);
    else collect(ns, value as Record<string, unknown>, targets, seen, 0);
  }
  return targets.map((t) => ({ ...t, name: t.name.replace(/^(new )?\./, '$1') }));
}

/** Live objects of the package's own classes, the receivers methods are called on. */
async function makePool(dir: string): Promise<Value[]> {
  torch.manualSeed(0);
  const config = new bert.BertConfig({ vocab_size: 40, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16 });
  const linear = new nn.Linear(3, 4);
  const { tokenizer } = await data.trainTokenizer([join(dir, 'corpus.txt')], { vocabSize: 40 });
  const pool: Value[] = [
    { label: 'nn.Linear(3,4)', value: linear },
    { label: 'nn.Embedding(10,4)', value: new nn.Embedding(10, 4) },
    { label: 'nn.LayerNorm(4)', value: new nn.LayerNorm(4) },
    { label: 'nn.Dropout(0.1)', value: new nn.Dropout(0.1) },
    { label: 'nn.Sequential', value: new nn.Sequential(new nn.Linear(4, 4), new nn.GELU()) },
    { label: 'nn.ModuleList', value: new nn.ModuleList([new nn.Tanh(), new nn.ReLU()]) },
    { label: 'BertConfig(tiny)', value: config },
    { label: 'BertModel(tiny)', value: new bert.BertModel(config) },
    { label: 'BertForMaskedLM(tiny)', value: new bert.BertForMaskedLM(config) },
    { label: 'BertForPreTraining(tiny)', value: new bert.BertForPreTraining(config) },
    { label: 'BertForSequenceClassification(tiny)', value: new bert.BertForSequenceClassification(config) },
    { label: 'BertForTokenClassification(tiny)', value: new bert.BertForTokenClassification(config) },
    { label: 'BertForQuestionAnswering(tiny)', value: new bert.BertForQuestionAnswering(config) },
    { label: 'optim.SGD', value: new optim.SGD(linear.parameters(), { lr: 0.1 }) },
    { label: 'optim.AdamW', value: new optim.AdamW(linear.parameters(), { lr: 0.1 }) },
    { label: 'optim.LAMB', value: new optim.LAMB(linear.parameters(), { lr: 0.1 }) },
    { label: 'data.Random(1)', value: new data.Random(1) },
    { label: 'BertTokenizer(trained)', value: tokenizer },
    { label: 'Tensor float32[2,3]', value: torch.randn([2, 3]) },
    { label: 'Tensor int64[4]', value: torch.tensor([1, 2, 3, 4], { dtype: 'int64' }) },
    { label: 'Tensor bool[2]', value: torch.tensor([true, false]) },
    { label: 'Tensor float16[0-d]', value: torch.tensor(2, { dtype: 'float16' }) },
    { label: 'Tensor bfloat16[0,3]', value: torch.zeros([0, 3], { dtype: 'bfloat16' }) },
    { label: 'Tensor float32 requiresGrad', value: torch.randn([3], { requiresGrad: true }) },
  ];
  return pool;
}

async function settle(result: unknown): Promise<'ok' | 'threw' | 'timeout'> {
  let pending: Promise<unknown> | undefined;
  if (result instanceof Promise) pending = result;
  else if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
    const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    pending = (async () => {
      for (let i = 0; i < 100; i++) if ((await iterator.next()).done) break;
      await iterator.return?.();
    })();
  }
  if (!pending) return 'ok';
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CALL_LIMIT_MS)));
  const outcome = await Promise.race([pending.then(() => 'ok' as const, () => 'threw' as const), limit]);
  clearTimeout(timer);
  return outcome;
}

/** instanceof that a Proxy whose getPrototypeOf trap throws cannot turn into a harness error. */
function safeInstanceOf(value: unknown, C: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof C;
  } catch {
    return false;
  }
}

const ENGINE_MESSAGE = /is not a function|is not iterable|Cannot read properties of|Cannot convert|is not a constructor|Cannot destructure|undefined is not|Maximum call stack/;

async function main(): Promise<void> {
  const [seedArg, callsArg, logPath] = process.argv.slice(2);
  const seed = Number(seedArg);
  const calls = Number(callsArg);
  const log = openSync(logPath!, 'a');
  const root = mkdtempSync(join(tmpdir(), 'plm-fuzz-'));
  const dir = join(root, 'a', 'b'); // '..' and '../..' stay inside root
  mkdirSync(dir, { recursive: true });
  makeFixtures(dir);
  process.chdir(dir);
  let current = 'setup';
  const fatal = (what: string) => (err: unknown) => {
    writeSync(log, `FATAL\t${what} after ${current}: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(3);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));

  const pool = await makePool(dir);
  const targets = surface();
  const rng = new Rng(seed);
  const threads = torch.getNumThreads();
  const summary = { seed, calls: 0, targets: targets.length, returned: 0, threw: 0, slow: [] as string[], engineMessages: {} as Record<string, number> };
  for (let i = 0; i < calls; i++) {
    const target = rng.pick(targets);
    const n = rng.int(Math.min(target.arity, 4) + 2);
    const args = Array.from({ length: n }, () => anyValue(rng, pool));
    let receiver: Value | undefined;
    if (target.receiverClass) {
      const own = pool.filter((p) => safeInstanceOf(p.value, target.receiverClass!));
      receiver = own.length > 0 && rng.int(5) > 0 ? rng.pick(own) : anyValue(rng, pool);
    }
    current = `call ${i} (seed ${seed}): ${receiver ? `[${receiver.label}].` : ''}${target.name}(${args.map((a) => a.label).join(', ')})`;
    writeSync(log, `${current}\n`);
    const started = Date.now();
    let outcome: 'ok' | 'threw' | 'timeout';
    try {
      const result = target.call(receiver?.value, args.map((a) => a.value));
      outcome = await settle(result);
      if (isTensor(result)) result.dispose();
    } catch (err) {
      outcome = 'threw';
      const message = err instanceof Error ? err.message : String(err);
      // Counted where the call was a fair one: a method on its own class's instance, or a function.
      const fairReceiver = !target.receiverClass || (receiver !== undefined && safeInstanceOf(receiver.value, target.receiverClass));
      if (fairReceiver && ENGINE_MESSAGE.test(message) && !/fuzz:/.test(message)) {
        const key = `${target.name}: ${message.slice(0, 80)}`;
        summary.engineMessages[key] = (summary.engineMessages[key] ?? 0) + 1;
      }
    }
    const took = Date.now() - started;
    if (outcome === 'timeout' || took > CALL_LIMIT_MS) summary.slow.push(`${current} took ${took} ms${outcome === 'timeout' ? ' and had not settled' : ''}`);
    if (outcome === 'threw') summary.threw++;
    else summary.returned++;
    summary.calls++;
    // Calls that change process state are put back, so later calls run as usual.
    if (torch.getNumThreads() !== threads) torch.setNumThreads(threads);
    if (!torch.isGradEnabled()) torch.setGradEnabled(true);
    for (const a of args) if (a.label.startsWith('tensor:') && isTensor(a.value)) a.value.dispose(); // made for this call, not the pool's
  }
  writeSync(log, 'DONE\n');
  console.log(`@@${JSON.stringify(summary)}`);
  process.exit(0);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().catch((err) => {
    console.error(err);
    process.exit(4);
  });
}
