import { LayerNorm } from '../nn/layer-norm.js';
import { expectModule, type Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import type { GroupInput } from './optimizer.js';

/**
 * Two parameter groups as BERT recipes use them: weight decay for weights, none for biases
 * and LayerNorm parameters (transformers' get_decay_parameter_names).
 */
export function weightDecayGroups<O extends { weightDecay: number }>(model: Module, weightDecay: number): GroupInput<O>[] {
  expectModule(model, 'weightDecayGroups(): model');
  const noDecay = new Set<Parameter>();
  for (const m of model.modules()) if (m instanceof LayerNorm) for (const p of m.parameters({ recurse: false })) noDecay.add(p);
  const decay: Parameter[] = [];
  const plain: Parameter[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (noDecay.has(p) || name === 'bias' || name.endsWith('.bias')) plain.push(p);
    else decay.push(p);
  }
  return [
    { params: decay, options: { weightDecay } as Partial<O> } as unknown as GroupInput<O>,
    { params: plain, options: { weightDecay: 0 } as Partial<O> } as unknown as GroupInput<O>,
  ];
}
