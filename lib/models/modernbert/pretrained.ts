// What every ModernBERT model shares: the config class, the 'model.' prefix of the heads, and
// transformers' _init_weights: truncated normals whose standard deviation depends on the
// module (inputs, outputs scaled by depth, embeddings, final classifiers), zero biases.
import { LayerNorm } from '../../nn/layer-norm.js';
import type { Linear } from '../../nn/linear.js';
import type { Parameter } from '../../nn/parameter.js';
import { ones_, truncNormal_, zeros_ } from '../../nn/init.js';
import { noGrad } from '../../torch/autograd.js';
import { PreTrainedModel } from '../pretrained-model.js';
import { ModernBertAttention } from './attention.js';
import { ModernBertConfig } from './config.js';
import { ModernBertEmbeddings } from './embeddings.js';
import { ModernBertMLP } from './mlp.js';
import { ModernBertPredictionHead } from './prediction-head.js';

export type { LoadReport, FromPretrainedOptions } from '../pretrained-model.js';

/** The standard deviations of transformers' ModernBertPreTrainedModel._init_weights. */
export interface InitStds {
  /** Wqkv and Wi: initializer_range. */
  in: number;
  /** Attention and MLP Wo, the prediction head's dense, an untied decoder: initializer_range / √(2 · layers). */
  out: number;
  /** The token embeddings: initializer_range. */
  embedding: number;
  /** The classifiers: hidden_size^-0.5. */
  finalOut: number;
}

export abstract class ModernBertPreTrainedModel extends PreTrainedModel<ModernBertConfig> {
  static readonly configClass: typeof ModernBertConfig = ModernBertConfig;
  static readonly baseModelPrefix: string = 'model';
  static readonly familyName: string = 'ModernBERT';

  /** ModernBERT has no encoder.*: its layers are model.layers.N. */
  protected override get encoderKeyPrefix(): string {
    return `${this.basePrefix}layers.`;
  }

  get initStds(): InitStds {
    const c = this.config.fields;
    return { in: c.initializer_range, out: c.initializer_range / Math.sqrt(2 * c.num_hidden_layers), embedding: c.initializer_range, finalOut: c.hidden_size ** -0.5 };
  }

  /** N(0, std) truncated at ± initializer_cutoff_factor (3 when null) standard deviations. */
  protected truncatedNormal(weight: Parameter, std: number): void {
    const cutoff = (this.config.fields.initializer_cutoff_factor ?? 3) * std;
    if (std === 0) zeros_(weight);
    else truncNormal_(weight, 0, std, -cutoff, cutoff);
  }

  /** A Linear's weight truncated-normal, its bias zero. */
  protected initLinear(linear: Linear, std: number): void {
    this.truncatedNormal(linear.weight, std);
    if (linear.bias) zeros_(linear.bias);
  }

  /**
   * transformers' _init_weights. The padding row of the embeddings is drawn like any other (its
   * truncated normal replaces nn.Embedding's zeroed row), and a tied decoder keeps the
   * embeddings' weights, as in transformers.
   */
  override initWeights(): void {
    const stds = this.initStds;
    noGrad(() => {
      for (const m of this.modules()) {
        if (m instanceof ModernBertEmbeddings) this.truncatedNormal(m.tokEmbeddings.weight, stds.embedding);
        else if (m instanceof ModernBertMLP) {
          this.initLinear(m.Wi, stds.in);
          this.initLinear(m.Wo, stds.out);
        } else if (m instanceof ModernBertAttention) {
          this.initLinear(m.Wqkv, stds.in);
          this.initLinear(m.Wo, stds.out);
        } else if (m instanceof ModernBertPredictionHead) this.initLinear(m.dense, stds.out);
        else if (m instanceof LayerNorm) {
          if (m.weight) ones_(m.weight);
          if (m.bias) zeros_(m.bias);
        }
      }
      this.initHeads();
    });
  }
}
