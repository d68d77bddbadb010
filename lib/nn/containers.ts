import { boundedList } from '../torch/arrays.js';
import { describeValue } from '../torch/describe.js';
import type { Tensor } from '../torch/tensor.js';
import { Module } from './module.js';

/** Modules with a forward(input) → output, so they can be chained. */
export interface Forward {
  forward(input: Tensor): Tensor;
}

/** A list of modules named '0', '1', ... as in PyTorch. */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of boundedList(modules, 'ModuleList(modules)')) this.append(m);
  }

  append(module: M): this {
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return this;
  }

  get length(): number {
    return this.#items.length;
  }

  at(index: number): M {
    if (!Number.isInteger(index)) throw new TypeError(`ModuleList.at(): index must be an integer, got ${describeValue(index)}`);
    const item = this.#items.at(index);
    if (item === undefined) throw new RangeError(`index ${index} is out of range for a ModuleList of ${this.#items.length}`);
    return item;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }
}

/** Applies its modules in order. */
export class Sequential extends ModuleList<Module & Forward> {
  constructor(...modules: (Module & Forward)[]) {
    super(modules);
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this) x = m.forward(x);
    return x;
  }
}
