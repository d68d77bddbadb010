// Training: import { train } from 'plm-torch'.
export { Trainer, observeTrainers, type TrainerOptions, type TrainableModel, type StepRecord, type TrainerEvents, type LogRecord, type TrainResult } from './trainer.js';
export { PretrainingBatches, type BatchSource, type PretrainingPosition } from './batches.js';
export { saveTrainingCheckpoint, restoreTrainingCheckpoint, listCheckpoints, type TrainerState } from './checkpoint.js';
export { MetricsLog } from './metrics-log.js';
export { evaluatePretraining, evaluateClassification, classificationMetrics, type PretrainingMetrics, type ClassificationMetrics } from './evaluate.js';
export { ClassificationBatches, encodeRecords, collateEncoded, evaluationBatches, type ClassificationBatch, type EncodedRecords } from './classification-batches.js';
export { niceAxis, renderSvg, seriesFromMetrics, type Axis, type Series } from './plot.js';
export { pretrain, adapt, finetune, OptionError, type PretrainOptions, type AdaptOptions, type AdaptResult, type FinetuneOptions, type RecipeHooks, type RecipeResult } from './recipes/index.js';
export { start, TrainingRun, type RunOptions, type RunResult, type RunEvents, type ProgressRecord } from '../worker/training-run.js';
export { commandArgs, type RunCommandOptions, type PretrainRunOptions, type AdaptRunOptions, type FinetuneRunOptions } from '../worker/run-options.js';
