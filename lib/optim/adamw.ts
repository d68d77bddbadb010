import { native } from '../native.js';
import { zerosLike } from '../torch/creation.js';
import type { Tensor } from '../torch/tensor.js';
import { checkRange, Optimizer, type GroupInput, type ParamGroup } from './optimizer.js';

export interface AdamWOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** Adam with decoupled weight decay, as torch.optim.AdamW; one native call per group and step. */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Iterable<Tensor> | GroupInput<AdamWOptions>[], options: Partial<AdamWOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, ...options });
  }

  protected validate(group: ParamGroup<AdamWOptions>): void {
    checkRange(group.lr, 'learning rate', 0);
    checkRange(group.eps, 'epsilon value', 0);
    checkRange(group.betas[0], 'beta parameter at index 0', 0, 1);
    checkRange(group.betas[1], 'beta parameter at index 1', 0, 1);
    checkRange(group.weightDecay, 'weight_decay value', 0);
  }

  step(): void {
    for (const group of this.paramGroups) {
      const { params, grads } = this.withGrads(group);
      try {
        const expAvgs: number[] = [];
        const expAvgSqs: number[] = [];
        const maxExpAvgSqs: number[] = [];
        const steps: number[] = [];
        for (const p of params) {
          let s = this.state.get(p);
          if (!s) {
            s = { step: 0, expAvg: this.stateTensor(zerosLike(p)), expAvgSq: this.stateTensor(zerosLike(p)) };
            if (group.amsgrad) s.maxExpAvgSq = this.stateTensor(zerosLike(p));
            this.state.set(p, s);
          }
          s.step = (s.step as number) + 1;
          steps.push(s.step);
          expAvgs.push((s.expAvg as Tensor).handle);
          expAvgSqs.push((s.expAvgSq as Tensor).handle);
          if (group.amsgrad) maxExpAvgSqs.push((s.maxExpAvgSq as Tensor).handle);
        }
        native.adamwStep(params.map((p) => p.handle), grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, {
          lr: group.lr,
          beta1: group.betas[0],
          beta2: group.betas[1],
          eps: group.eps,
          weightDecay: group.weightDecay,
          amsgrad: group.amsgrad,
          maximize: group.maximize,
        });
      } finally {
        for (const g of grads) native.dispose(g);
      }
    }
  }
}
