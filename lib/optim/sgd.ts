import { native } from '../native.js';
import { Tensor } from '../torch/tensor.js';
import { checkRange, Optimizer, type GroupInput, type ParamGroup } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** Stochastic gradient descent with momentum and Nesterov, as torch.optim.SGD. */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor> | GroupInput<SGDOptions>[], options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options });
  }

  protected validate(group: ParamGroup<SGDOptions>): void {
    checkRange(group.lr, 'learning rate', 0);
    checkRange(group.momentum, 'momentum value', 0);
    checkRange(group.weightDecay, 'weight_decay value', 0);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    }
  }

  step(): void {
    for (const group of this.paramGroups) {
      const { params, grads } = this.withGrads(group);
      try {
        const buffers = params.map((p) => {
          const b = this.state.get(p)?.momentumBuffer;
          return b instanceof Tensor ? b.handle : null;
        });
        const created = native.sgdStep(params.map((p) => p.handle), grads, buffers, {
          lr: group.lr,
          momentum: group.momentum,
          dampening: group.dampening,
          weightDecay: group.weightDecay,
          nesterov: group.nesterov,
          maximize: group.maximize,
        });
        created.forEach((h, i) => {
          if (h !== null) this.state.set(params[i]!, { momentumBuffer: this.stateTensor(new Tensor(h)) });
        });
      } finally {
        for (const g of grads) native.dispose(g);
      }
    }
  }
}
