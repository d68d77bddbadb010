// Training checkpoints under OUT/checkpoints/step-N/: the model as a Hugging Face folder, the
// optimizer's tensors (safetensors) and scalars, the schedule, the RNG state, the data
// position and the trainer's own state. Written to a temporary folder and renamed, with
// trainer_state.json last inside it, so a killed process never leaves a half checkpoint that
// looks whole; only the newest K are kept.
import { readJsonFile } from '../io/json-file.js';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import { removeStaleTemporaries } from '../io/stale-temporaries.js';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import type { LRScheduler, SchedulerState } from '../optim/schedules.js';
import { getRngState, setRngState } from '../torch/autocast.js';
import { describeValue } from '../torch/describe.js';
import { Tensor } from '../torch/tensor.js';

export interface TrainerState {
  step: number;
  /** Anything else the trainer keeps (best metric, patience left, ...). */
  [key: string]: unknown;
}

export interface CheckpointParts {
  /** Any model that saves itself as a Hugging Face folder. */
  model: Module & { savePretrained(dir: string): Promise<void> };
  optimizer: Optimizer<{ lr: number }>;
  scheduler: LRScheduler;
  dataPosition: unknown;
  state: TrainerState;
  /**
   * Data-parallel runs: every rank's RNG state and data position, in rank order (rank 0 writes
   * the checkpoint; each rank resumes from its own entry).
   */
  ranks?: { rngStates: Tensor[]; dataPositions: unknown[] };
}

const STATE_FILE = 'trainer_state.json';

export function checkpointsDir(out: string): string {
  return join(out, 'checkpoints');
}

/** Where the checkpoint of `step` goes. */
export function checkpointDir(out: string, step: number): string {
  return join(checkpointsDir(out), `step-${step}`);
}

/** Complete checkpoints (those with trainer_state.json), oldest first. */
export function listCheckpoints(out: string): { step: number; dir: string }[] {
  const root = checkpointsDir(out);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => /^step-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && existsSync(join(root, m[0], STATE_FILE)))
    .map((m) => ({ step: Number(m[1]), dir: join(root, m[0]) }))
    .sort((a, b) => a.step - b.step);
}

export async function saveTrainingCheckpoint(out: string, parts: CheckpointParts, keep: number): Promise<string> {
  const root = checkpointsDir(out);
  mkdirSync(root, { recursive: true });
  // Half-written checkpoints of a killed run: ours are renamed into place, theirs never will be.
  removeStaleTemporaries(root);
  const final = checkpointDir(out, parts.state.step);
  const tmp = join(root, `.step-${parts.state.step}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  await parts.model.savePretrained(tmp);
  const { state, paramGroups } = parts.optimizer.stateDict();
  const tensors: Record<string, Tensor> = {};
  const scalars: Record<string, Record<string, number>> = {};
  for (const [index, entry] of Object.entries(state)) {
    for (const [name, value] of Object.entries(entry)) {
      if (value instanceof Tensor) tensors[`${index}.${name}`] = value;
      else (scalars[index] ??= {})[name] = value;
    }
  }
  saveSafetensors(join(tmp, 'optimizer.safetensors'), tensors);
  const rng = getRngState();
  const rankStates = Object.fromEntries((parts.ranks?.rngStates ?? []).slice(1).map((t, i) => [`rank${i + 1}`, t]));
  saveSafetensors(join(tmp, 'rng_state.safetensors'), { cpu: rng, ...rankStates });
  rng.dispose();
  writeFileSync(join(tmp, 'optimizer.json'), JSON.stringify({ scalars, paramGroups }));
  writeFileSync(join(tmp, 'scheduler.json'), JSON.stringify(parts.scheduler.stateDict()));
  writeFileSync(join(tmp, 'data_position.json'), JSON.stringify(parts.ranks ? { ranks: parts.ranks.dataPositions } : parts.dataPosition));
  writeFileSync(join(tmp, STATE_FILE), JSON.stringify(parts.state, null, 2));
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  for (const old of listCheckpoints(out).slice(0, -keep)) rmSync(old.dir, { recursive: true, force: true });
  return final;
}

export interface RestoredCheckpoint {
  state: TrainerState;
  dataPosition: unknown;
}

/** Loads a checkpoint into a model, optimizer and scheduler made as for the original run. */
export function restoreTrainingCheckpoint(dir: string, parts: Omit<CheckpointParts, 'state' | 'dataPosition' | 'ranks'>, rank = 0): RestoredCheckpoint {
  // Checked first: a damaged state file must not leave a half-restored model behind.
  const trainerState = readJsonFile(join(dir, STATE_FILE), 'checkpoint file') as TrainerState | null;
  if (trainerState === null || typeof trainerState !== 'object' || !Number.isInteger(trainerState.step) || trainerState.step < 0) {
    throw new Error(`${join(dir, STATE_FILE)}: step must be a non-negative integer, got ${describeValue(trainerState?.step)}`);
  }
  const weights = loadSafetensors(join(dir, 'model.safetensors'));
  try {
    parts.model.loadStateDict(weights, { strict: false });
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
  const optimizerJson = readJsonFile(join(dir, 'optimizer.json'), 'checkpoint file') as { scalars: Record<string, Record<string, number>>; paramGroups: OptimizerStateDict<{ lr: number }>['paramGroups'] };
  const tensors = loadSafetensors(join(dir, 'optimizer.safetensors'));
  const state: Record<number, ParamState> = {};
  for (const [key, t] of Object.entries(tensors)) {
    const [index, name] = key.split('.') as [string, string];
    (state[Number(index)] ??= {})[name] = t;
  }
  for (const [index, values] of Object.entries(optimizerJson.scalars)) Object.assign((state[Number(index)] ??= {}), values);
  parts.optimizer.loadStateDict({ state, paramGroups: optimizerJson.paramGroups });
  for (const t of Object.values(tensors)) t.dispose();
  parts.scheduler.loadStateDict(readJsonFile(join(dir, 'scheduler.json'), 'checkpoint file') as SchedulerState);
  const rng = loadSafetensors(join(dir, 'rng_state.safetensors'));
  const mine = rank === 0 ? rng.cpu : rng[`rank${rank}`];
  if (!mine) throw new Error(`${dir} holds no RNG state for rank ${rank}: it was written by a run with fewer processes`);
  setRngState(mine);
  for (const t of Object.values(rng)) t.dispose();
  const position = readJsonFile(join(dir, 'data_position.json'), 'checkpoint file');
  const ranks = (position as { ranks?: unknown[] } | null)?.ranks;
  if (rank > 0 && !ranks) throw new Error(`${dir} was written by a single-process run; it cannot resume rank ${rank}`);
  return { state: trainerState, dataPosition: ranks ? ranks[rank] : position };
}

