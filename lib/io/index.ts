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
export { loadTorchBin } from './torch-bin.js';
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
