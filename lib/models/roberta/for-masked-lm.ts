import { zeros_ } from '../../nn/init.js';
import type { Tensor } from '../../torch/tensor.js';
import { mlmHead } from '../masked-lm.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import { RobertaConfig } from './config.js';
import { RobertaLMHead } from './lm-head.js';
import { RobertaPreTrainedModel } from './pretrained.js';


/** RoBERTa with its MLM head (how RoBERTa is pretrained: MLM only, no next sentence prediction). */
export class RobertaForMaskedLM extends RobertaPreTrainedModel {
  static readonly architecture: string = 'RobertaForMaskedLM';
  readonly lmHead: RobertaLMHead;

  constructor(config: RobertaConfig) {
    super(config);
    this.lmHead = this.registerModule('lm_head', new RobertaLMHead(config, this.wordEmbeddings.weight));
    this.initWeights();
  }

  /** transformers 4 saved an untied head's bias only as lm_head.bias. */
  override get checkpointFallbacks(): Record<string, string> {
    return this.lmHead.tiedToEmbeddings ? {} : { 'lm_head.decoder.bias': 'lm_head.bias' };
  }

  /** As transformers' RobertaForMaskedLM._tied_weights_keys. */
  override get tiedWeights(): Record<string, string> {
    if (!this.lmHead.tiedToEmbeddings) return {};
    return { 'lm_head.decoder.weight': 'roberta.embeddings.word_embeddings.weight', 'lm_head.decoder.bias': 'lm_head.bias' };
  }

  protected override initHeads(): void {
    zeros_(this.lmHead.bias);
  }

  protected override retie(): void {
    this.lmHead.tie(this.wordEmbeddings.weight);
  }

  protected override resizeHeads(_old: number, n: number, meanResizing: boolean): void {
    this.resizeTiedLmHead(this.lmHead, n, meanResizing);
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    const out = this.roberta.forward(inputs);
    const mlm = mlmHead(this.lmHead, out.lastHiddenState, inputs.labels, inputs.maskedPositionsOnly ?? true, this.config.fields.vocab_size);
    return {
      loss: mlm.loss,
      logits: mlm.logits,
      ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}),
      ...(out.attentions ? { attentions: out.attentions } : {}),
    };
  }
}
