// DebertaV2ForMaskedLM with transformers' default (legacy) head, cls.predictions: BERT's MLM
// head (transform, then a decoder tied to the word embeddings, with cls.predictions.bias).
import type { Tensor } from '../../torch/tensor.js';
import { BertOnlyMLMHead } from '../bert/for-masked-lm.js';
import type { BertLMPredictionHead } from '../bert/heads.js';
import { maskedLMOutput } from '../masked-lm.js';
import type { TiedLmHead } from '../pretrained-model.js';
import type { MaskedLMInputs, MaskedLMOutput, WithLoss } from '../tasks.js';
import { bertHeadConfig } from './bert-blocks.js';
import { DebertaV2Config } from './config.js';
import { DebertaV2HeadModel } from './model.js';

export type { MaskedLMInputs, MaskedLMOutput } from '../tasks.js';

/** transformers' LegacyDebertaV2OnlyMLMHead, BERT's BertOnlyMLMHead: the prediction head under 'predictions'. */
export class DebertaV2OnlyMLMHead extends BertOnlyMLMHead {}

/** The configs the MLM head supports, checked before the encoder is built (anything else is the core's TypeError). */
function mlmConfig(config: DebertaV2Config): DebertaV2Config {
  if (!(config instanceof DebertaV2Config)) return config;
  const c = config.fields;
  if (c.legacy !== true) {
    // transformers 5 builds lm_predictions.lm_head for it but cannot load a folder it saved with it.
    throw new RangeError('DebertaV2ForMaskedLM: legacy false (the lm_predictions.lm_head head) is not supported; use legacy true, the default (cls.predictions)');
  }
  if (config.embeddingSize !== c.hidden_size) {
    throw new RangeError(`DebertaV2ForMaskedLM: embedding_size ${c.embedding_size} different from hidden_size ${c.hidden_size} is not supported by the MLM head (the encoder and the other heads support it)`);
  }
  return config;
}

export class DebertaV2ForMaskedLM extends DebertaV2HeadModel {
  static readonly architecture: string = 'DebertaV2ForMaskedLM';
  readonly cls: DebertaV2OnlyMLMHead;

  constructor(config: DebertaV2Config) {
    super(mlmConfig(config));
    this.cls = this.registerModule('cls', new DebertaV2OnlyMLMHead(bertHeadConfig(config), this.deberta.embeddings.wordEmbeddings));
    this.initWeights();
  }

  get lmHead(): BertLMPredictionHead {
    return this.cls.predictions;
  }

  protected override get tiedLmHead(): { head: TiedLmHead; key: string } {
    return { head: this.lmHead, key: 'cls.predictions' };
  }

  /**
   * The replaced-token-detection head of DeBERTa-v3 checkpoints, which transformers also skips,
   * and their lm_predictions head, which loads through checkpointFallbacks.
   */
  protected override get ignoredOnLoad(): RegExp[] {
    return [...super.ignoredOnLoad, /^mask_predictions\./, /^lm_predictions\.lm_head\.(dense|LayerNorm)\.(weight|bias)$|^lm_predictions\.lm_head\.bias$/];
  }

  /**
   * Microsoft's DeBERTa-v3 checkpoints hold their MLM head as lm_predictions.lm_head (dense,
   * activation, LayerNorm, then the word embeddings' transpose plus a bias): the same function as
   * cls.predictions, so those weights fill it. transformers' default head ignores them and
   * starts from random weights; here `adapt` continues from the trained head.
   */
  override get checkpointFallbacks(): Record<string, string> {
    const from = 'lm_predictions.lm_head.';
    return {
      ...super.checkpointFallbacks,
      'cls.predictions.transform.dense.weight': `${from}dense.weight`,
      'cls.predictions.transform.dense.bias': `${from}dense.bias`,
      'cls.predictions.transform.LayerNorm.weight': `${from}LayerNorm.weight`,
      'cls.predictions.transform.LayerNorm.bias': `${from}LayerNorm.bias`,
      'cls.predictions.bias': `${from}bias`,
    };
  }

  forward(inputs: MaskedLMInputs & { labels: Tensor }): WithLoss<MaskedLMOutput>;
  forward(inputs: MaskedLMInputs): MaskedLMOutput;
  forward(inputs: MaskedLMInputs): MaskedLMOutput {
    return maskedLMOutput(this.lmHead, this.deberta.forward(inputs), inputs, this.config.fields.vocab_size);
  }
}
