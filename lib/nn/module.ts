// Module: parameters, buffers and submodules under dotted names exactly as PyTorch forms
// them, registered explicitly (registerModule('word_embeddings', ...)) or found in fields.
import { noGrad } from '../torch/autograd.js';
import { describeValue } from '../torch/describe.js';
import { checkDevice, type Device } from '../torch/device.js';
import { DTYPES, isFloatingPoint, type DType } from '../torch/dtype.js';
import { keep } from '../torch/scope.js';
import { Tensor } from '../torch/tensor.js';
import { Parameter } from './parameter.js';

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export type StateDict = Record<string, Tensor>;

export class Module {
  training = true;
  readonly #parameters = new Map<string, Parameter | null>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, Module>();
  // Names whose value lives in a same-named field (found, not registered): re-read each time,
  // so assigning the field later (tying a weight) is seen, as PyTorch's __setattr__ would.
  readonly #fieldNames = new Set<string>();

  /**
   * Registers a parameter (or null, for an absent bias) under `name`, or replaces the one
   * registered there: how weights are tied (decoder.registerParameter('weight', embeddings.weight)).
   */
  registerParameter<P extends Parameter | null>(name: string, parameter: P): P {
    checkName(name, 'parameter');
    if (parameter !== null && !(parameter instanceof Parameter)) throw new TypeError(`registerParameter('${name}'): expected a Parameter`);
    this.#adoptFields();
    this.#fieldNames.delete(name);
    this.#parameters.set(name, parameter);
    return parameter;
  }

  /** A tensor that is state but not trained (position ids, running statistics). */
  registerBuffer(name: string, tensor: Tensor, options: { persistent?: boolean } = {}): Tensor {
    checkName(name, 'buffer');
    if (!(tensor instanceof Tensor)) throw new TypeError(`registerBuffer('${name}'): expected a Tensor`);
    keep(tensor);
    this.#buffers.set(name, tensor);
    if (options.persistent === false) this.#nonPersistent.add(name);
    else this.#nonPersistent.delete(name);
    return tensor;
  }

  registerModule<M extends Module>(name: string, module: M): M {
    checkName(name, 'module');
    if (!(module instanceof Module)) throw new TypeError(`registerModule('${name}'): expected a Module`);
    this.#adoptFields();
    this.#fieldNames.delete(name);
    this.#modules.set(name, module);
    return module;
  }

  /** The registered parameter `name` (layers expose theirs as accessors through this). */
  protected parameter(name: string): Parameter | null {
    const p = this.#parameters.get(name);
    if (p === undefined) throw new Error(`${this.constructor.name} has no parameter '${name}'`);
    return p;
  }

  /** Takes Module and Parameter fields into the registry in the order they appear. */
  #adoptFields(): void {
    const known = new Set<unknown>([...this.#parameters.values(), ...this.#modules.values()]);
    for (const [key, value] of Object.entries(this)) {
      if (this.#fieldNames.has(key)) {
        // A found field that was assigned anew: follow it.
        if (value instanceof Parameter) this.#parameters.set(key, value);
        else if (value instanceof Module) this.#modules.set(key, value);
        continue;
      }
      if (known.has(value)) continue;
      if (value instanceof Parameter && !this.#parameters.has(key)) {
        this.#parameters.set(key, value);
        this.#fieldNames.add(key);
      } else if (value instanceof Module && !this.#modules.has(key)) {
        this.#modules.set(key, value);
        this.#fieldNames.add(key);
      }
    }
  }

  #ownParameters(): [string, Parameter | null][] {
    this.#adoptFields();
    return [...this.#parameters];
  }

  namedChildren(): [string, Module][] {
    this.#adoptFields();
    return [...this.#modules];
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every submodule, depth first, each once. */
  namedModules(prefix = ''): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    const visit = (module: Module, name: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [child, m] of module.namedChildren()) visit(m, name ? `${name}.${child}` : child);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its dotted name; a parameter shared by two modules (tied weights) appears once. */
  namedParameters(options: { recurse?: boolean } = {}): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const modules: [string, Module][] = options.recurse === false ? [['', this]] : this.namedModules();
    for (const [prefix, module] of modules) {
      for (const [name, p] of module.#ownParameters()) {
        if (p === null || seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, b] of module.#buffers) out.push([prefix ? `${prefix}.${name}` : name, b]);
    }
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * Parameters and persistent buffers by dotted name, in registration order. Tied weights
   * appear under each name, as in PyTorch. The values are the live tensors: read or copy
   * them, do not dispose them.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const visit = (module: Module, prefix: string): void => {
      for (const [name, p] of module.#ownParameters()) if (p !== null) out[prefix + name] = p;
      for (const [name, b] of module.#buffers) if (!module.#nonPersistent.has(name)) out[prefix + name] = b;
      for (const [name, child] of module.namedChildren()) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies tensors into this module's parameters and buffers by name. Shapes must match;
   * with strict (the default), missing and unexpected keys are an error naming them.
   * ignoreUnexpected drops keys that old files carry and this model does not keep, such as
   * a `position_ids` buffer (transformers' _keys_to_ignore_on_load_unexpected).
   */
  loadStateDict(stateDict: StateDict, options: { strict?: boolean; ignoreUnexpected?: readonly RegExp[] } = {}): LoadResult {
    if (stateDict === null || typeof stateDict !== 'object') throw new TypeError('loadStateDict(): expected an object of tensors');
    const own = this.stateDict();
    const ignored = options.ignoreUnexpected ?? [];
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own) && !ignored.some((re) => re.test(k)));
    const mismatched: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      const source = stateDict[key];
      if (source === undefined) continue;
      if (!(source instanceof Tensor)) throw new TypeError(`loadStateDict(): '${key}' is not a Tensor`);
      const [want, got] = [target.shape, source.shape];
      if (want.length !== got.length || want.some((s, i) => s !== got[i])) {
        mismatched.push(`size mismatch for ${key}: copying a param with shape [${got.join(', ')}] from checkpoint, the shape in current model is [${want.join(', ')}]`);
      }
    }
    const problems: string[] = [...mismatched];
    if (options.strict !== false) {
      if (missingKeys.length) problems.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
      if (unexpectedKeys.length) problems.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
    }
    if (problems.length) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${problems.join('\n\t')}`);
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) {
        const source = stateDict[key];
        if (source !== undefined && source !== target) target.copy_(source).dispose();
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Training mode for this module and all below it (dropout active). */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /**
   * Moves parameters and buffers to a device and/or casts the floating-point ones to a
   * dtype, in place: each keeps its identity, so an optimizer made before keeps working.
   */
  to(target: Device | DType | { device?: Device; dtype?: DType }): this {
    const { device, dtype } =
      typeof target === 'string' ? ((DTYPES as readonly string[]).includes(target) ? { device: undefined, dtype: target as DType } : { device: checkDevice(target), dtype: undefined }) : target;
    if (dtype !== undefined && !isFloatingPoint(dtype)) throw new TypeError(`Module.to() only casts to floating point dtypes, got ${describeValue(dtype)}`);
    noGrad(() => {
      const tensors = [...this.parameters(), ...this.buffers()];
      for (const t of tensors) {
        const castTo = dtype !== undefined && t.isFloatingPoint() ? dtype : undefined;
        if ((device === undefined || t.device === device) && (castTo === undefined || t.dtype === castTo)) continue;
        const moved = t.to({ device, dtype: castTo });
        t.setData(moved);
        moved.dispose();
        const grad = t.grad;
        if (grad) {
          const movedGrad = grad.to({ device, dtype: castTo });
          t.grad = movedGrad;
          movedGrad.dispose();
          grad.dispose();
        }
      }
    });
    return this;
  }

  /** Calls fn on every submodule (children first) and this module, as PyTorch does. */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function') throw new TypeError(`apply(): fn must be a function, got ${describeValue(fn)}`);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** requiresGrad_(false) freezes every parameter. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** The number of parameter elements (shared ones once); trainableOnly counts those that require grad. */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !options.trainableOnly || p.requiresGrad)
      .reduce((total, p) => total + p.numel(), 0);
  }
}

function checkName(name: string, kind: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new TypeError(`${kind} name must be a non-empty string without '.', got ${describeValue(name)}`);
  }
}

/** An argument that must be a Module (a model): a TypeError naming it, not "x.eval is not a function". */
export function expectModule(value: unknown, what: string): asserts value is Module {
  if (!(value instanceof Module)) throw new TypeError(`${what} must be a Module (an nn.Module or a model), got ${describeValue(value)}`);
}
