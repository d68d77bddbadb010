import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { attend } from '../attention.js';
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
    const q = this.#heads(this.query.forward(hidden));
    const k = this.#heads(this.key.forward(hidden));
    const v = this.#heads(this.value.forward(hidden));
    return attend(q, k, v, attentionMask, { dropoutP: this.dropoutP, training: this.training, implementation: this.implementation, outputAttentions });
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
