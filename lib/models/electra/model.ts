import type { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import type { Tensor } from '../../torch/tensor.js';
import { BertEncoder } from '../bert/layer.js';
import { BertModel } from '../bert/model.js';
import type { BaseModelOutput, EncoderInputs } from '../tasks.js';
import type { ElectraConfig } from './config.js';
import { ElectraEmbeddings } from './embeddings.js';
import { ElectraPreTrainedModel } from './pretrained.js';

/** The encoder: embeddings at embedding_size, projected to hidden_size when they differ, then BERT's layers. No pooler. */
export class ElectraModel extends ElectraPreTrainedModel {
  static readonly architecture: string = 'ElectraModel';
  readonly embeddings: ElectraEmbeddings;
  /** Linear(embedding_size → hidden_size), or null when the widths are the same (ELECTRA-Base and -Large). */
  readonly embeddingsProject: Linear | null;
  readonly encoder: BertEncoder;

  constructor(config: ElectraConfig) {
    super(config);
    const c = config.fields;
    this.embeddings = this.registerModule('embeddings', new ElectraEmbeddings(config));
    this.embeddingsProject = c.embedding_size === c.hidden_size ? null : this.registerModule('embeddings_project', new Linear(c.embedding_size, c.hidden_size));
    this.encoder = this.registerModule('encoder', new BertEncoder(config));
    this.initWeights();
  }

  get wordEmbeddings(): Embedding {
    return this.embeddings.wordEmbeddings;
  }

  /** BERT's checks of ids, shapes and lengths: they read only the config's BERT fields, which ELECTRA's config has. */
  checkInputs(inputs: EncoderInputs): void {
    BertModel.prototype.checkInputs.call(this, inputs);
  }

  forward(inputs: EncoderInputs): BaseModelOutput {
    this.checkInputs(inputs);
    let embedded = this.embeddings.forward(inputs.inputIds, inputs.tokenTypeIds, inputs.positionIds);
    if (this.embeddingsProject) embedded = this.embeddingsProject.forward(embedded);
    const mask: Tensor | null = inputs.attentionMask ? BertModel.prototype.extendedAttentionMask.call(this, inputs.attentionMask, embedded.dtype) : null;
    const encoded = this.encoder.forward(embedded, mask, { outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    return {
      lastHiddenState: encoded.lastHiddenState,
      poolerOutput: null,
      ...(encoded.hiddenStates ? { hiddenStates: encoded.hiddenStates } : {}),
      ...(encoded.attentions ? { attentions: encoded.attentions } : {}),
    };
  }
}
