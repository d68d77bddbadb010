// What every DeBERTa-v2 model shares: the config class, the 'deberta.' prefix of the heads
// and the family's name; loading, saving, tying, resizing and initialisation are the core's.
import { normal_, zeros_ } from '../../nn/init.js';
import { noGrad } from '../../torch/autograd.js';
import { PreTrainedModel } from '../pretrained-model.js';
import { DebertaV2Config } from './config.js';
import { SameLengthConv1d } from './conv.js';

export type { LoadReport, FromPretrainedOptions } from '../pretrained-model.js';

export abstract class DebertaV2PreTrainedModel extends PreTrainedModel<DebertaV2Config> {
  static readonly configClass: typeof DebertaV2Config = DebertaV2Config;
  static readonly baseModelPrefix: string = 'deberta';
  static readonly familyName: string = 'DeBERTa-v2';

  /** transformers ignores a checkpoint's absolute position embeddings when the model has none (DeBERTa-v3's). */
  protected override get ignoredOnLoad(): RegExp[] {
    return [...super.ignoredOnLoad, /(^|\.)position_embeddings\./];
  }

  /** The convolution is normal(0, initializer_range) with a zero bias, as transformers initialises nn.Conv1d. */
  override initWeights(): void {
    super.initWeights();
    noGrad(() => {
      for (const m of this.modules()) {
        if (!(m instanceof SameLengthConv1d)) continue;
        normal_(m.weight, 0, this.initStd);
        zeros_(m.bias);
      }
    });
  }
}

