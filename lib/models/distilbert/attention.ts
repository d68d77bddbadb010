import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../torch/tensor.js';
import { attend } from '../attention.js';
import { expectDistilBertConfig, type DistilBertConfig } from './config.js';

/** Multi-head self-attention with its output projection (q_lin, k_lin, v_lin, out_lin). */
export class DistilBertSelfAttention extends Module {
  readonly numHeads: number;
  readonly headDim: number;
  readonly qLin: Linear;
  readonly kLin: Linear;
  readonly vLin: Linear;
  readonly outLin: Linear;
  readonly dropoutP: number;
  readonly implementation: 'sdpa' | 'eager';

  constructor(config: DistilBertConfig) {
    super();
    expectDistilBertConfig(config, 'new DistilBertSelfAttention()');
    const c = config.fields;
    this.numHeads = c.n_heads;
    this.headDim = config.headDim;
    this.qLin = this.registerModule('q_lin', new Linear(c.dim, c.dim));
    this.kLin = this.registerModule('k_lin', new Linear(c.dim, c.dim));
    this.vLin = this.registerModule('v_lin', new Linear(c.dim, c.dim));
    this.outLin = this.registerModule('out_lin', new Linear(c.dim, c.dim));
    this.dropoutP = c.attention_dropout;
    this.implementation = c.attn_implementation;
  }

  #heads(x: Tensor): Tensor {
    const [batch, length] = x.shape as [number, number];
    return x.view(batch, length, this.numHeads, this.headDim).transpose(1, 2);
  }

  /** attentionMask: additive, broadcastable to (batch, heads, query, key), or null. */
  forward(hidden: Tensor, attentionMask: Tensor | null, outputAttentions = false): { output: Tensor; probs: Tensor | null } {
    const { context, probs } = attend(this.#heads(this.qLin.forward(hidden)), this.#heads(this.kLin.forward(hidden)), this.#heads(this.vLin.forward(hidden)), attentionMask, {
      dropoutP: this.dropoutP,
      training: this.training,
      implementation: this.implementation,
      outputAttentions,
    });
    return { output: this.outLin.forward(context), probs };
  }
}
