// DeBERTa's disentangled self-attention: content→content scores plus, with relative
// attention, content→position (c2p) and position→content (p2c) scores read from the relative
// embeddings at each token pair's (bucketed) distance; each term is divided by
// sqrt(head size × the number of terms). Op for op as transformers' DisentangledSelfAttention.
import { Dropout } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { BertSelfOutput } from '../bert/attention.js';
import { bertBlockConfig } from './bert-blocks.js';
import { expectDebertaV2Config, type DebertaV2Config, type PosAttType } from './config.js';
import { buildRelativePosition } from './relative-position.js';
import { DTYPE_MIN } from '../attention.js';


export class DisentangledSelfAttention extends Module {
  readonly numHeads: number;
  readonly headDim: number;
  readonly queryProj: Linear;
  readonly keyProj: Linear;
  readonly valueProj: Linear;
  /** Projections of the relative embeddings when share_att_key is false (c2p: keys, p2c: queries). */
  readonly posKeyProj: Linear | null = null;
  readonly posQueryProj: Linear | null = null;
  readonly posDropout: Dropout | null = null;
  readonly dropout: Dropout;
  readonly posAttTypes: readonly PosAttType[];
  readonly relativeAttention: boolean;
  readonly shareAttKey: boolean;
  /** Half the relative embeddings' rows (transformers' pos_ebd_size). */
  readonly span: number;
  readonly positionBuckets: number;
  readonly maxRelativePositions: number;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new DisentangledSelfAttention()');
    const c = config.fields;
    this.numHeads = c.num_attention_heads;
    this.headDim = config.headDim;
    this.queryProj = this.registerModule('query_proj', new Linear(c.hidden_size, c.hidden_size));
    this.keyProj = this.registerModule('key_proj', new Linear(c.hidden_size, c.hidden_size));
    this.valueProj = this.registerModule('value_proj', new Linear(c.hidden_size, c.hidden_size));
    this.shareAttKey = c.share_att_key;
    this.posAttTypes = config.posAttTypes;
    this.relativeAttention = c.relative_attention;
    this.span = config.relativeEmbeddingSpan;
    this.positionBuckets = c.position_buckets;
    this.maxRelativePositions = config.maxRelativePositions;
    if (this.relativeAttention) {
      this.posDropout = this.registerModule('pos_dropout', new Dropout(c.hidden_dropout_prob));
      if (!this.shareAttKey) {
        if (this.posAttTypes.includes('c2p')) this.posKeyProj = this.registerModule('pos_key_proj', new Linear(c.hidden_size, c.hidden_size));
        if (this.posAttTypes.includes('p2c')) this.posQueryProj = this.registerModule('pos_query_proj', new Linear(c.hidden_size, c.hidden_size));
      }
    }
    this.dropout = this.registerModule('dropout', new Dropout(c.attention_probs_dropout_prob));
  }

  /** (batch, length, heads × headDim) → (batch × heads, length, headDim). */
  #heads(x: Tensor): Tensor {
    const [batch, length] = x.shape as [number, number];
    return x.view(batch, length, this.numHeads, -1).permute(0, 2, 1, 3).contiguous().view(-1, length, this.headDim);
  }

  /** sqrt(headDim × terms) as transformers computes it: in float32. */
  #scale(terms: number): number {
    return Math.fround(Math.sqrt(Math.fround(this.headDim * terms)));
  }

  /**
   * attentionMask: bool (batch, 1, length, length), true where query and key are both tokens.
   * relativePos: (1, length, length) int64; relEmbeddings: (2 × span, hidden), both when relative_attention.
   */
  forward(
    hidden: Tensor,
    attentionMask: Tensor,
    relativePos: Tensor | null,
    relEmbeddings: Tensor | null,
    outputAttentions = false,
  ): { context: Tensor; probs: Tensor | null } {
    const [batch, length] = hidden.shape as [number, number];
    const query = this.#heads(this.queryProj.forward(hidden));
    const key = this.#heads(this.keyProj.forward(hidden));
    const value = this.#heads(this.valueProj.forward(hidden));
    // The number of terms counts pos_att_type even without relative attention, as there.
    const terms = 1 + (this.posAttTypes.includes('c2p') ? 1 : 0) + (this.posAttTypes.includes('p2c') ? 1 : 0);
    let scores = query.bmm(key.transpose(-1, -2).div(this.#scale(terms)));
    if (this.relativeAttention && relEmbeddings) {
      const bias = this.#disentangledBias(query, key, relativePos, this.posDropout!.forward(relEmbeddings), terms);
      if (bias) scores = scores.add(bias);
    }
    scores = scores.view(-1, this.numHeads, length, length);
    // masked_fill, not an added mask: a padding query's row is uniform and passes no gradient to its scores.
    scores = scores.maskedFill(attentionMask.logicalNot(), DTYPE_MIN[scores.dtype] ?? DTYPE_MIN.float32!);
    const probs = this.dropout.forward(scores.softmax(-1));
    const context = probs
      .view(-1, length, length)
      .bmm(value)
      .view(-1, this.numHeads, length, this.headDim)
      .permute(0, 2, 1, 3)
      .contiguous()
      .view(batch, length, -1);
    return { context, probs: outputAttentions ? probs : null };
  }

  /** The c2p and p2c scores (batch × heads, length, length), or null when pos_att_type has neither. */
  #disentangledBias(query: Tensor, key: Tensor, relativePos: Tensor | null, relEmbeddings: Tensor, terms: number): Tensor | null {
    const length = query.shape[1]!;
    const keyLength = key.shape[1]!;
    const rel = relativePos ?? buildRelativePosition(length, keyLength, this.positionBuckets, this.maxRelativePositions, query.device);
    const span = this.span;
    const embeddings = relEmbeddings.narrow(0, 0, 2 * span).unsqueeze(0);
    const copies = query.shape[0]! / this.numHeads;
    const project = (proj: Linear) => this.#heads(proj.forward(embeddings)).repeat(copies, 1, 1);
    const c2p = this.posAttTypes.includes('c2p');
    const p2c = this.posAttTypes.includes('p2c');
    const posKey = c2p ? project(this.shareAttKey ? this.keyProj : this.posKeyProj!) : null;
    const posQuery = p2c ? project(this.shareAttKey ? this.queryProj : this.posQueryProj!) : null;
    const scale = this.#scale(terms);
    let score: Tensor | null = null;
    if (posKey) {
      const index = rel.add(span).clamp(0, 2 * span - 1).squeeze(0).expand([query.shape[0]!, length, keyLength]);
      score = query.bmm(posKey.transpose(-1, -2)).gather(-1, index).div(scale);
    }
    if (posQuery) {
      // transformers rebuilds the positions for keys of another length (never, in self-attention).
      const index = rel.neg().add(span).clamp(0, 2 * span - 1).squeeze(0).expand([query.shape[0]!, keyLength, keyLength]);
      const p2cScore = key.bmm(posQuery.transpose(-1, -2)).gather(-1, index).transpose(-1, -2).div(scale);
      score = score ? score.add(p2cScore) : p2cScore;
    }
    return score;
  }
}

/** The attention block's output: BERT's (dense → dropout → LayerNorm(· + input)). */
export class DebertaV2SelfOutput extends BertSelfOutput {
  constructor(config: DebertaV2Config) {
    super(bertBlockConfig((expectDebertaV2Config(config, 'new DebertaV2SelfOutput()'), config)));
  }
}

export class DebertaV2Attention extends Module {
  readonly self: DisentangledSelfAttention;
  readonly output: DebertaV2SelfOutput;

  constructor(config: DebertaV2Config) {
    super();
    expectDebertaV2Config(config, 'new DebertaV2Attention()');
    this.self = this.registerModule('self', new DisentangledSelfAttention(config));
    this.output = this.registerModule('output', new DebertaV2SelfOutput(config));
  }

  forward(hidden: Tensor, attentionMask: Tensor, relativePos: Tensor | null, relEmbeddings: Tensor | null, outputAttentions = false): { output: Tensor; probs: Tensor | null } {
    const { context, probs } = this.self.forward(hidden, attentionMask, relativePos, relEmbeddings, outputAttentions);
    return { output: this.output.forward(context, hidden), probs };
  }
}
