import { tidy } from '../../torch/scope.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { ModuleList } from '../../nn/containers.js';
import type { Tensor } from '../../torch/tensor.js';
import { activation } from '../activation.js';
import { BertAttention } from './attention.js';
import { BertOutput } from './output.js';
import { expectBertConfig, type BertConfig } from './config.js';

export class BertIntermediate extends Module {
  readonly dense: Linear;
  readonly #act: (x: Tensor) => Tensor;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertIntermediate()');
    this.dense = this.registerModule('dense', new Linear(config.fields.hidden_size, config.fields.intermediate_size));
    this.#act = activation(config.fields.hidden_act);
  }

  forward(hidden: Tensor): Tensor {
    return this.#act(this.dense.forward(hidden));
  }
}

/** Attention, then the feed-forward block, each with its residual and LayerNorm. */
export class BertLayer extends Module {
  readonly attention: BertAttention;
  readonly intermediate: BertIntermediate;
  readonly output: BertOutput;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertLayer()');
    this.attention = this.registerModule('attention', new BertAttention(config));
    this.intermediate = this.registerModule('intermediate', new BertIntermediate(config));
    this.output = this.registerModule('output', new BertOutput(config, config.fields.intermediate_size));
  }

  forward(hidden: Tensor, attentionMask: Tensor | null, outputAttentions = false): { hidden: Tensor; probs: Tensor | null } {
    const { output: attended, probs } = this.attention.forward(hidden, attentionMask, outputAttentions);
    return { hidden: this.output.forward(this.intermediate.forward(attended), attended), probs };
  }
}

export class BertEncoder extends Module {
  readonly layer: ModuleList<BertLayer>;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertEncoder()');
    this.layer = this.registerModule('layer', new ModuleList(Array.from({ length: config.fields.num_hidden_layers }, () => new BertLayer(config))));
  }

  forward(hidden: Tensor, attentionMask: Tensor | null, options: { outputHiddenStates?: boolean; outputAttentions?: boolean } = {}) {
    const hiddenStates: Tensor[] = options.outputHiddenStates ? [hidden] : [];
    const attentions: Tensor[] = [];
    let h = hidden;
    for (const layer of this.layer) {
      // A scope per layer frees the layer's temporaries now (autograd keeps what backward
      // needs), as reference counting does in Python, instead of at the end of the step.
      const out = tidy(() => layer.forward(h, attentionMask, options.outputAttentions));
      h = out.hidden;
      if (options.outputHiddenStates) hiddenStates.push(h);
      if (out.probs) attentions.push(out.probs);
    }
    return { lastHiddenState: h, hiddenStates: options.outputHiddenStates ? hiddenStates : undefined, attentions: options.outputAttentions ? attentions : undefined };
  }
}

/** tanh(dense(h[:, 0])): the [CLS] summary that NSP and classification read. */
export class BertPooler extends Module {
  readonly dense: Linear;

  constructor(config: BertConfig) {
    super();
    expectBertConfig(config, 'new BertPooler()');
    this.dense = this.registerModule('dense', new Linear(config.fields.hidden_size, config.fields.hidden_size));
  }

  forward(hidden: Tensor): Tensor {
    return this.dense.forward(hidden.select(1, 0)).tanh();
  }
}
