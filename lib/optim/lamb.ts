import { native } from '../native.js';
import { zerosLike } from '../torch/creation.js';
import type { Tensor } from '../torch/tensor.js';
import { checkRange, Optimizer, type GroupInput, type ParamGroup } from './optimizer.js';

export interface LAMBOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  biasCorrection: boolean;
  /** Gradients are scaled down together when their global norm exceeds this (0 turns it off). */
  maxGradNorm: number;
  /** Apply the trust ratio to groups without weight decay too (apex's use_nvlamb). */
  useNvLamb: boolean;
}

/**
 * LAMB as NVIDIA's BERT recipe uses it (apex FusedLAMB): gradients clipped by their global
 * norm over all groups, Adam moments, update m̂/(√v̂+ε) + λw, scaled per tensor by the trust
 * ratio ‖w‖/‖update‖ in groups with weight decay (all groups with useNvLamb).
 */
export class LAMB extends Optimizer<LAMBOptions> {
  constructor(params: Iterable<Tensor> | GroupInput<LAMBOptions>[], options: Partial<LAMBOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0.01, biasCorrection: true, maxGradNorm: 1.0, useNvLamb: false, ...options });
  }

  protected validate(group: ParamGroup<LAMBOptions>): void {
    checkRange(group.lr, 'learning rate', 0);
    checkRange(group.eps, 'epsilon value', 0);
    checkRange(group.betas[0], 'beta parameter at index 0', 0, 1);
    checkRange(group.betas[1], 'beta parameter at index 1', 0, 1);
    checkRange(group.weightDecay, 'weight_decay value', 0);
    checkRange(group.maxGradNorm, 'max_grad_norm value', 0);
  }

  step(): void {
    const perGroup = this.paramGroups.map((group) => ({ group, ...this.withGrads(group) }));
    try {
      const globalNorm = native.totalNorm(perGroup.flatMap((g) => g.grads), 2);
      for (const { group, params, grads } of perGroup) {
        const gradScale = group.maxGradNorm > 0 && globalNorm > group.maxGradNorm ? globalNorm / group.maxGradNorm : 1;
        const expAvgs: number[] = [];
        const expAvgSqs: number[] = [];
        const steps: number[] = [];
        for (const p of params) {
          let s = this.state.get(p);
          if (!s) {
            s = { step: 0, expAvg: this.stateTensor(zerosLike(p)), expAvgSq: this.stateTensor(zerosLike(p)) };
            this.state.set(p, s);
          }
          s.step = (s.step as number) + 1;
          steps.push(s.step);
          expAvgs.push((s.expAvg as Tensor).handle);
          expAvgSqs.push((s.expAvgSq as Tensor).handle);
        }
        native.lambStep(params.map((p) => p.handle), grads, expAvgs, expAvgSqs, steps, {
          lr: group.lr,
          beta1: group.betas[0],
          beta2: group.betas[1],
          eps: group.eps,
          weightDecay: group.weightDecay,
          biasCorrection: group.biasCorrection,
          gradScale,
          trustRatio: group.useNvLamb || group.weightDecay !== 0,
        });
      }
    } finally {
      for (const { grads } of perGroup) for (const g of grads) native.dispose(g);
    }
  }
}
