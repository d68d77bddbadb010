// Weight files: import { io } from 'plm-torch'.
export {
  loadSafetensors,
  loadSafetensorsAsync,
  saveSafetensors,
  saveSafetensorsAsync,
  readSafetensorsHeader,
  SafetensorsError,
  type SafetensorsHeader,
  type SafetensorsEntry,
} from './safetensors.js';
export { loadTorchBin, checkTorchZip } from './torch-bin.js';
export { WeightFileError, type WeightFileErrorCode } from './weight-file.js';
export { removeStaleTemporaries, isProcessAlive } from './stale-temporaries.js';
export {
  loadCheckpoint,
  loadCheckpointAsync,
  saveCheckpoint,
  saveCheckpointAsync,
  readConfig,
  weightFiles,
  fixLegacyKey,
  type Checkpoint,
  type Config,
} from './hf-checkpoint.js';
