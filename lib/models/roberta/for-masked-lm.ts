import type { Tensor } from '../../torch/tensor.js';
import { maskedLMOutput } from '../masked-lm.js';
import type { TiedLmHead } from '../pretrained-model.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import { RobertaConfig } from './config.js';
import { RobertaLMHead } from './lm-head.js';
import { RobertaPreTrainedModel } from './pretrained.js';

/**
 * RoBERTa with its MLM head (how RoBERTa is pretrained: MLM only, no next sentence prediction),
 * under 'lm_head': tied, resized and initialised by the core, as transformers' RobertaForMaskedLM.
 */
export class RobertaForMaskedLM extends RobertaPreTrainedModel {
  static readonly architecture: string = 'RobertaForMaskedLM';
  readonly lmHead: RobertaLMHead;

  constructor(config: RobertaConfig) {
    super(config);
    this.lmHead = this.registerModule('lm_head', new RobertaLMHead(config, this.wordEmbeddings.weight));
    this.initWeights();
  }

  protected override get tiedLmHead(): { head: TiedLmHead; key: string } {
    return { head: this.lmHead, key: 'lm_head' };
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    return maskedLMOutput(this.lmHead, this.roberta.forward(inputs), inputs, this.config.fields.vocab_size);
  }
}
