// torch.optim: import { optim } from 'plm-torch'.
export { Optimizer, type GroupInput, type ParamGroup, type OptimizerStateDict, type ParamState } from './optimizer.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { SGD, type SGDOptions } from './sgd.js';
export { LAMB, type LAMBOptions } from './lamb.js';
export { clipGradNorm_, gradNorm } from './clip.js';
export { weightDecayGroups } from './groups.js';
export * as schedules from './schedules.js';
export { LRScheduler, type LrLambda } from './schedules.js';
