// Using trained models: predictions and evaluation, on this thread or in a worker.
export { classify, fillMasks, defaultScoreFunction, type ClassPrediction, type MaskFill, type MaskPrediction, type ScoreFunction } from './predictions.js';
export { evaluateModelFolder, folderArchitecture, type EvaluationSource } from './evaluate-folder.js';
export { openModel, ModelWorker } from '../worker/model-worker.js';
