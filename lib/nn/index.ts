// torch.nn: import { nn } from 'plm-torch'.
export { Module, type StateDict, type LoadResult } from './module.js';
export { Parameter } from './parameter.js';
export { Linear } from './linear.js';
export { Embedding } from './embedding.js';
export { LayerNorm } from './layer-norm.js';
export { Dropout, GELU, Tanh, ReLU } from './activations.js';
export { ModuleList, Sequential, type Forward } from './containers.js';
export * as init from './init.js';
export * as functional from '../torch/functional.js';
