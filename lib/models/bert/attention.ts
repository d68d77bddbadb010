import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { dropout, scaledDotProductAttention } from '../../torch/functional.js';
import type { Tensor } from '../../torch/tensor.js';
import { expectBertConfig, type BertConfig } from './config.js';
import { BertOutput } from './output.js';

/**
 * Multi-head self-attention. The 'sdpa' path is libtorch's fused kernel; the 'eager' path is
 * transformers' explicit formula and also returns the attention probabilities.
 */
export class BertSelfAttention extends Module {
  readonly numHeads: number;
  readonly headDim: number;
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly dropoutP: number;
  readonly implementation: 'sdpa' | 'eager';

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertSelfAttention()');
    const c = config.fields;
    this.numHeads = c.num_attention_heads;
    this.headDim = config.headDim;
    this.query = this.registerModule('query', new Linear(c.hidden_size, c.hidden_size));
    this.key = this.registerModule('key', new Linear(c.hidden_size, c.hidden_size));
    this.value = this.registerModule('value', new Linear(c.hidden_size, c.hidden_size));
    this.dropoutP = c.attention_probs_dropout_prob;
    this.implementation = c.attn_implementation;
  }

  #heads(x: Tensor): Tensor {
    const [batch, length] = x.shape as [number, number];
    return x.view(batch, length, this.numHeads, this.headDim).transpose(1, 2);
  }

  /** attentionMask: additive, broadcastable to (batch, heads, query, key), or null. */
  forward(hidden: Tensor, attentionMask: Tensor | null, outputAttentions = false): { context: Tensor; probs: Tensor | null } {
    const [batch, length] = hidden.shape as [number, number];
    const q = this.#heads(this.query.forward(hidden));
    const k = this.#heads(this.key.forward(hidden));
    const v = this.#heads(this.value.forward(hidden));
    const p = this.training ? this.dropoutP : 0;
    let context: Tensor;
    let probs: Tensor | null = null;
    // With dropout on CPU, SDPA takes its math path with ATen's serial bernoulli_; the explicit
    // path below is the same arithmetic with the parallel dropout mask.
    const sdpa = this.implementation === 'sdpa' && !outputAttentions && !(p > 0 && hidden.device === 'cpu');
    if (sdpa) {
      context = scaledDotProductAttention(q, k, v, { attnMask: attentionMask, dropoutP: p, scale: this.headDim ** -0.5 });
    } else {
      let scores = q.matmul(k.transpose(2, 3)).mul(this.headDim ** -0.5);
      if (attentionMask) scores = scores.add(attentionMask);
      probs = scores.softmax(-1);
      context = dropout(probs, p, this.training).matmul(v);
    }
    return { context: context.transpose(1, 2).contiguous().view(batch, length, -1), probs: outputAttentions ? probs : null };
  }
}

/** The attention block's output: BertOutput over the hidden size. */
export class BertSelfOutput extends BertOutput {
  constructor(config: BertConfig) {
    super(config, (expectBertConfig(config, 'new BertSelfOutput()'), config).fields.hidden_size);
  }
}

export class BertAttention extends Module {
  readonly self: BertSelfAttention;
  readonly output: BertSelfOutput;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertAttention()');
    this.self = this.registerModule('self', new BertSelfAttention(config));
    this.output = this.registerModule('output', new BertSelfOutput(config));
  }

  forward(hidden: Tensor, attentionMask: Tensor | null, outputAttentions = false): { output: Tensor; probs: Tensor | null } {
    const { context, probs } = this.self.forward(hidden, attentionMask, outputAttentions);
    return { output: this.output.forward(context, hidden), probs };
  }
}
