import { binaryCrossEntropyWithLogits } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import type { EncoderInputs, PreTrainingOutput, WithLoss } from '../tasks.js';
import type { ElectraConfig } from './config.js';
import { ElectraDiscriminatorPredictions } from './heads.js';
import { ElectraHeadModel } from './head-model.js';
import { encoderExtras } from '../outputs.js';

export interface ElectraPreTrainingInputs extends EncoderInputs {
  /** 1 where the token was replaced (by the generator), 0 where it is the original; (batch, length). */
  labels?: Tensor | null;
}

/**
 * The discriminator's output. `logits` (one per token, (batch, length)) is what transformers
 * returns; the PreTrainingOutput fields are there so the model serves the preTraining task:
 * predictionLogits is the same tensor, and there is no MLM or NSP part.
 */
export interface ElectraPreTrainingOutput extends PreTrainingOutput {
  logits: Tensor;
  mlmLoss: null;
  nspLoss: null;
  seqRelationshipLogits: null;
}

/**
 * The discriminator, ELECTRA's pretrained model: for each token, whether it was replaced.
 * The loss is binary cross-entropy with logits over the tokens the attention mask keeps (all
 * of them without a mask), as transformers computes it.
 */
export class ElectraForPreTraining extends ElectraHeadModel {
  static readonly architecture: string = 'ElectraForPreTraining';
  readonly discriminatorPredictions: ElectraDiscriminatorPredictions;

  constructor(config: ElectraConfig) {
    super(config);
    this.discriminatorPredictions = this.registerModule('discriminator_predictions', new ElectraDiscriminatorPredictions(config));
    this.initWeights();
  }

  forward(inputs: ElectraPreTrainingInputs & { labels: Tensor }): WithLoss<ElectraPreTrainingOutput>;
  forward(inputs: ElectraPreTrainingInputs): ElectraPreTrainingOutput;
  forward(inputs: ElectraPreTrainingInputs): ElectraPreTrainingOutput {
    const out = this.electra.forward(inputs);
    const logits = this.discriminatorPredictions.forward(out.lastHiddenState);
    const labels = inputs.labels;
    let loss: Tensor | null = null;
    if (labels) {
      if (labels.dim() !== 2 || labels.shape[0] !== logits.shape[0] || labels.shape[1] !== logits.shape[1]) {
        throw new RangeError(`labels have shape [${labels.shape.join(', ')}], the input [${logits.shape.join(', ')}]`);
      }
      const targets = labels.to({ dtype: logits.dtype });
      const mask = inputs.attentionMask;
      if (mask) {
        const kept = mask.eq(1);
        loss = binaryCrossEntropyWithLogits(logits.index([kept]), targets.index([kept]));
      } else {
        loss = binaryCrossEntropyWithLogits(logits, targets);
      }
    }
    return { loss, logits, predictionLogits: logits, mlmLoss: null, nspLoss: null, losses: { mlm: null, nsp: null }, seqRelationshipLogits: null, ...encoderExtras(out) };
  }
}
