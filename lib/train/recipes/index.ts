// The training recipes: typed functions that the command line and train.start() both call.
export { pretrain, checkPretrainOptions, architectureFamily, modelConfig, type PretrainOptions } from './pretrain.js';
export { adapt, checkAdaptOptions, type AdaptOptions, type AdaptResult } from './adapt.js';
export { finetune, type FinetuneOptions } from './finetune.js';
export { OptionError, type RecipeHooks, type RecipeResult } from './options.js';
