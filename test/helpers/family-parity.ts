// A family against transformers, given only its config and its classes: transformers builds
// each head from a random odd-size config and saves it; plm-torch loads the folder through the
// Auto class of the task and must give the same logits, loss and every gradient (fp32, within
// 1e-5, with padding in the batch). Then the reverse: a model built here, saved here, loads in
// transformers with no missing or unexpected keys and gives the same logits.
import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { models, torch } from '../../lib/index.js';
import { maxAbsDiff } from './numeric.js';
import { missingPython, runPython } from './python.js';

type Task = models.Task;
type Nested = number[][][] | number[][] | number[];

export interface ParitySpec {
  /** transformers' config class, e.g. 'RobertaConfig'. */
  configClass: string;
  /** config.json fields for transformers' config class (dropout 0, odd sizes). */
  config: Record<string, unknown>;
  /** transformers' class for each task checked; by default every task the family registers, under our class's architecture name. */
  classes?: Partial<Record<Task, string>>;
  /** Token ids, a batch with padding (pad id as the config says); the first and last real tokens are specials. */
  ids: number[][];
  /** 1 for real tokens; derived from pad_token_id when absent. */
  mask?: number[][];
  /** Segment ids, for families that take them. */
  tokenTypes?: number[][];
  /** Largest difference allowed (1e-5 by default). */
  tolerance?: number;
}

interface HeadReference {
  loss: number;
  outputs: Record<string, Nested>;
  grads: Record<string, number[]>;
}

const PY = `
import inspect, torch, transformers
cfg_cls = getattr(transformers, inp['config_class'])
ids = torch.tensor(inp['ids']); mask = torch.tensor(inp['mask'])
types = torch.tensor(inp['types']) if inp['types'] is not None else None
res = {}
for i, (task, name) in enumerate(sorted(inp['classes'].items())):
    torch.manual_seed(100 + i)
    extra = {'num_labels': 2} if task == 'questionAnswering' else ({'num_labels': 3} if task in ('sequenceClassification', 'tokenClassification') else {})
    cfg = cfg_cls(**inp['config'], **extra)
    m = getattr(transformers, name)(cfg).eval()
    m.save_pretrained(inp['dir'] + '/' + task)
    kw = dict(input_ids=ids, attention_mask=mask)
    if types is not None: kw['token_type_ids'] = types
    b, l = ids.shape
    if task in ('maskedLM', 'preTraining'):
        labels = torch.tensor([[ids[r, c].item() if (r + c) % 3 == 1 and mask[r, c] == 1 else -100 for c in range(l)] for r in range(b)])
        kw['labels'] = labels
        if task == 'preTraining' and 'next_sentence_label' in inspect.signature(m.forward).parameters: kw['next_sentence_label'] = torch.tensor([r % 2 for r in range(b)])
    elif task == 'sequenceClassification':
        kw['labels'] = torch.tensor([r % 3 for r in range(b)])
    elif task == 'tokenClassification':
        kw['labels'] = torch.tensor([[(r + c) % 3 if mask[r, c] == 1 else -100 for c in range(l)] for r in range(b)])
    elif task == 'questionAnswering':
        kw['start_positions'] = torch.tensor([1 + r for r in range(b)]); kw['end_positions'] = torch.tensor([2 + r for r in range(b)])
    o = m(**kw)
    outs = {}
    for key in ('logits', 'prediction_logits', 'seq_relationship_logits', 'start_logits', 'end_logits', 'last_hidden_state', 'pooler_output'):
        v = getattr(o, key, None)
        if v is not None: outs[key] = v.tolist()
    loss = None
    if task == 'base':
        target = o.last_hidden_state.pow(2).mean()
        target.backward(); loss = target.item()
    else:
        o.loss.backward(); loss = o.loss.item()
    grads = {n: p.grad.flatten().tolist() for n, p in m.named_parameters() if p.grad is not None}
    res[task] = {'loss': loss, 'outputs': outs, 'grads': grads}
out(res)
`;

const OUTPUT_NAMES: Record<string, string> = {
  logits: 'logits',
  prediction_logits: 'predictionLogits',
  seq_relationship_logits: 'seqRelationshipLogits',
  start_logits: 'startLogits',
  end_logits: 'endLogits',
  last_hidden_state: 'lastHiddenState',
  pooler_output: 'poolerOutput',
};

const AUTO: Record<Task, models.AutoModelClass<models.PreTrainedModel>> = {
  base: models.AutoModel,
  preTraining: models.AutoModelForPreTraining,
  maskedLM: models.AutoModelForMaskedLM,
  sequenceClassification: models.AutoModelForSequenceClassification,
  tokenClassification: models.AutoModelForTokenClassification,
  questionAnswering: models.AutoModelForQuestionAnswering,
};

function gradError(model: models.PreTrainedModel, theirs: Record<string, number[]>): { worst: number; problems: string[] } {
  let worst = 0;
  const problems: string[] = [];
  const names = new Set<string>();
  for (const [name, p] of model.namedParameters()) {
    names.add(name);
    const g = p.grad;
    const expected = theirs[name];
    if (!g && !expected) continue;
    if (!g || !expected) {
      problems.push(`gradient of ${name}: ours ${g ? 'present' : 'missing'}, theirs ${expected ? 'present' : 'missing'}`);
      continue;
    }
    worst = Math.max(worst, maxAbsDiff(g.flatten().toArray() as number[], expected));
  }
  for (const name of Object.keys(theirs)) if (!names.has(name)) problems.push(`transformers has a gradient for ${name}, we have no such parameter`);
  return { worst, problems };
}

function inputsOf(spec: ParitySpec, mask: number[][]) {
  return {
    inputIds: torch.tensor(spec.ids, { dtype: 'int64' }),
    attentionMask: torch.tensor(mask, { dtype: 'int64' }),
    ...(spec.tokenTypes ? { tokenTypeIds: torch.tensor(spec.tokenTypes, { dtype: 'int64' }) } : {}),
  };
}

function labelsFor(task: Task, ids: number[][], mask: number[][]): Record<string, unknown> {
  const i64 = (v: number[] | number[][]) => torch.tensor(v, { dtype: 'int64' });
  switch (task) {
    case 'maskedLM':
    case 'preTraining':
      return {
        labels: i64(ids.map((row, r) => row.map((id, c) => ((r + c) % 3 === 1 && mask[r]![c] === 1 ? id : -100)))),
        maskedPositionsOnly: false,
        ...(task === 'preTraining' ? { nextSentenceLabel: i64(ids.map((_, r) => r % 2)) } : {}),
      };
    case 'sequenceClassification':
      return { labels: i64(ids.map((_, r) => r % 3)) };
    case 'tokenClassification':
      return { labels: i64(ids.map((row, r) => row.map((_, c) => (mask[r]![c] === 1 ? (r + c) % 3 : -100)))) };
    case 'questionAnswering':
      return { startPositions: i64(ids.map((_, r) => 1 + r)), endPositions: i64(ids.map((_, r) => 2 + r)) };
    case 'base':
      return {};
  }
}

function familyOfSpec(spec: ParitySpec): models.Family {
  const family = models.registeredFamilies().find((f) => f.configClass.className === spec.configClass);
  if (!family) throw new Error(`no registered family has the config class ${spec.configClass}`);
  return family;
}

/** Every task the family registers, by the architecture name transformers' class has. */
function registeredClasses(spec: ParitySpec): Partial<Record<Task, string>> {
  return Object.fromEntries(Object.entries(familyOfSpec(spec).models).map(([task, cls]) => [task, cls!.architecture]));
}

/** Rows of token ids padded to `length` with `pad`: a batch with padding. */
export function padded(rows: number[][], length: number, pad: number): number[][] {
  return rows.map((row) => [...row, ...Array.from({ length: length - row.length }, () => pad)]);
}

/**
 * A family's parity test file: each spec under its title, skipped with the reason when the
 * Python oracle lacks torch or transformers. `timeoutMs` for files whose specs start Python
 * many times (transformers' import is most of an oracle call).
 */
export function parityTests(specs: Record<string, ParitySpec>, options: { timeoutMs?: number } = {}): void {
  const skip = missingPython('torch', 'transformers');
  if (options.timeoutMs) t.setTimeout(options.timeoutMs);
  for (const [title, spec] of Object.entries(specs)) t.test(title, { skip }, async (t) => familyParity(t, spec));
}

/** Registers the parity subtests of a family on `t`. */
export function familyParity(t: Test, given: ParitySpec): void {
  const spec = { ...given, classes: given.classes ?? registeredClasses(given) };
  const root = mkdtempSync(join(tmpdir(), 'plm-parity-'));
  const pad = spec.config.pad_token_id as number | undefined;
  const mask = spec.mask ?? spec.ids.map((row) => row.map((id, c) => (c === 0 || id !== pad ? 1 : 0)));
  const tolerance = spec.tolerance ?? 1e-5;
  let reference: Record<string, HeadReference> | undefined;
  const ref = () =>
    (reference ??= runPython<Record<string, HeadReference>>(PY, {
      config_class: spec.configClass,
      config: spec.config,
      classes: spec.classes,
      ids: spec.ids,
      mask,
      types: spec.tokenTypes ?? null,
      dir: root,
    }));

  for (const task of Object.keys(spec.classes) as Task[]) {
    t.test(`${spec.classes[task]}: outputs, loss and every gradient match transformers (through the Auto class)`, async (t) => {
      const r = ref()[task]!;
      const dir = join(root, task);
      const model = await AUTO[task].fromPretrained(dir);
      model.eval();
      t.same(model.loadReport, { missingKeys: [], unexpectedKeys: [], renamed: {} }, 'every weight loaded, none unused');
      t.equal(model.modelClass.architecture, spec.classes[task], 'the class transformers saved');
      const out = (model as unknown as { forward(i: unknown): Record<string, torch.Tensor | null> }).forward({ ...inputsOf(spec, mask), ...labelsFor(task, spec.ids, mask) });
      for (const [key, theirs] of Object.entries(r.outputs)) {
        const ours = out[OUTPUT_NAMES[key]!];
        if (!ours) {
          t.fail(`${key}: we return no ${OUTPUT_NAMES[key]}`);
          continue;
        }
        const diff = maxAbsDiff(ours.toArray() as Nested, theirs);
        t.ok(diff < tolerance, `${key}: max difference ${diff.toExponential(2)}`);
      }
      const loss = task === 'base' ? out.lastHiddenState!.pow(2).mean() : out.loss!;
      t.ok(Math.abs((loss.item() as number) - r.loss) < tolerance, `loss ${(loss.item() as number).toFixed(6)} vs ${r.loss.toFixed(6)}`);
      loss.backward();
      const { worst, problems } = gradError(model, r.grads);
      t.same(problems, [], 'the same parameters have gradients');
      t.ok(worst < tolerance, `gradients: max difference ${worst.toExponential(2)}`);
    });
  }

  t.test(`a ${spec.configClass.replace(/Config$/, '')} saved here loads in transformers with no missing or unexpected keys and the same logits`, async (t) => {
    const family = familyOfSpec(spec);
    const ours: Record<string, Record<string, torch.Tensor | null>> = {};
    const dirs: Record<string, string> = {};
    for (const task of Object.keys(spec.classes) as Task[]) {
      torch.manualSeed(7);
      const extra = task === 'questionAnswering' ? { num_labels: 2 } : task === 'sequenceClassification' || task === 'tokenClassification' ? { num_labels: 3 } : {};
      const config = models.AutoConfig.forModel(family.modelType, { ...spec.config, ...extra });
      const model = AUTO[task].fromConfig(config);
      model.eval();
      dirs[task] = join(root, `ours-${task}`);
      await model.savePretrained(dirs[task]!);
      ours[task] = (model as unknown as { forward(i: unknown): Record<string, torch.Tensor | null> }).forward(inputsOf(spec, mask));
    }
    // One Python for every head: importing transformers is most of an oracle call's time.
    const theirs = runPython<Record<string, { missing: string[]; unexpected: string[]; mismatched: unknown[]; outputs: Record<string, Nested> }>>(
      `import torch, transformers
res = {}
for task, (cls, d) in inp['heads'].items():
    m, info = getattr(transformers, cls).from_pretrained(d, output_loading_info=True)
    m.eval()
    kw = dict(input_ids=torch.tensor(inp['ids']), attention_mask=torch.tensor(inp['mask']))
    if inp['types'] is not None: kw['token_type_ids'] = torch.tensor(inp['types'])
    o = m(**kw)
    outs = {k: getattr(o, k).tolist() for k in ('logits', 'prediction_logits', 'start_logits', 'end_logits', 'last_hidden_state') if getattr(o, k, None) is not None}
    res[task] = {'missing': sorted(info['missing_keys']), 'unexpected': sorted(info['unexpected_keys']), 'mismatched': list(info['mismatched_keys']), 'outputs': outs}
out(res)`,
      { heads: Object.fromEntries((Object.keys(spec.classes) as Task[]).map((task) => [task, [spec.classes[task], dirs[task]]])), ids: spec.ids, mask, types: spec.tokenTypes ?? null },
    );
    for (const task of Object.keys(spec.classes) as Task[]) {
      const r = theirs[task]!;
      t.same([r.missing, r.unexpected, r.mismatched], [[], [], []], `${spec.classes[task]}: transformers loads every key`);
      for (const [key, value] of Object.entries(r.outputs)) {
        const mine = ours[task]![OUTPUT_NAMES[key]!];
        const diff = mine ? maxAbsDiff(mine.toArray() as Nested, value) : Infinity;
        t.ok(diff < tolerance, `${spec.classes[task]} ${key} in transformers: max difference ${diff.toExponential(2)}`);
      }
    }
  });
}
