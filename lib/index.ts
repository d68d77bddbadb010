// plm-torch: libtorch tensors and autograd for Node.js, and on them BERT-style pretraining,
// domain adaptation and fine-tuning.
export * as torch from './torch/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as io from './io/index.js';
export * as hub from './hub/index.js';
export * as models from './models/index.js';
export * as bert from './models/bert/index.js';
export * as distilbert from './models/distilbert/index.js';
export * as debertaV2 from './models/deberta_v2/index.js';
export * as electra from './models/electra/index.js';
export * as modernbert from './models/modernbert/index.js';
export * as roberta from './models/roberta/index.js';
export * as xlmRoberta from './models/xlm_roberta/index.js';
export {
  AutoConfig,
  AutoModel,
  AutoModelForPreTraining,
  AutoModelForMaskedLM,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoModelForQuestionAnswering,
} from './models/index.js';
export { AutoTokenizer, Tokenizer } from './data/tokenizer.js';
export * as data from './data/index.js';
export * as train from './train/index.js';
export * as inference from './inference/index.js';
export * as distributed from './distributed/index.js';
export { Tensor, TorchError } from './torch/index.js';
export type { DType, Device, TensorOptions } from './torch/index.js';
