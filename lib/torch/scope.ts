// Memory scopes: tidy() frees what was made inside it; keep() exempts a tensor. The GC is
// only a backstop for tensors that live outside every scope.
import { native, type Handle } from '../native.js';
import { refuseAsync } from './synchronous-only.js';

/** What scopes need of a tensor; Tensor implements it. */
export interface Scoped {
  readonly handle: Handle;
  kept: boolean;
  /** Set when the tensor was freed through dispose(). */
  released: boolean;
}

const scopes: Scoped[][] = [];

// Frees a tensor's storage once its JS object is unreachable. Tensors owned by a scope are
// registered only when they leave it, so scoped training loops pay nothing for this.
const backstop = new FinalizationRegistry<Handle>((handle) => native.dispose(handle));

// Unscoped tensors wait here until the current job ends, and only those not disposed by
// then are registered: `a.add(b).dispose()` never pays for a registration (about 1 µs).
// Nothing is lost by the wait, as finalization callbacks only run between jobs anyway.
let pending: Scoped[] = [];

function registerPending(): void {
  const batch = pending;
  pending = [];
  for (const tensor of batch) if (!tensor.released) backstop.register(tensor, tensor.handle);
}

function leaveToBackstop(tensor: Scoped): void {
  if (pending.length === 0) queueMicrotask(registerPending);
  pending.push(tensor);
}

/** Called for every new tensor: the innermost scope owns it, else the GC backstop. */
export function track(tensor: Scoped): void {
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(tensor);
  else leaveToBackstop(tensor);
}

/** Exempts a tensor from every scope (parameters, optimizer state, caches). */
export function keep<T extends Scoped>(tensor: T): T {
  if (!tensor.kept) {
    tensor.kept = true;
    if (scopes.length > 0) leaveToBackstop(tensor);
  }
  return tensor;
}

function collectScoped(value: unknown, found: Set<Scoped>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if ('handle' in value && 'kept' in value) {
    found.add(value as Scoped);
    return;
  }
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
  for (const item of items) collectScoped(item, found, depth + 1);
}

/**
 * Runs fn and frees every tensor made inside it except those it returns (found in arrays,
 * Maps and plain objects) and those passed to keep(). Returned tensors belong to the
 * enclosing scope. fn must be synchronous: a scope cannot follow an await.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy(fn): fn must be a function');
  const scope: Scoped[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
    refuseAsync(result, 'tidy(fn): fn returned a Promise; scopes cannot span an await, so use dispose() there');
  } catch (err) {
    scopes.pop();
    for (const tensor of scope) if (!tensor.kept) native.dispose(tensor.handle);
    throw err;
  }
  scopes.pop();
  const returned = new Set<Scoped>();
  collectScoped(result, returned);
  const parent = scopes[scopes.length - 1];
  for (const tensor of scope) {
    if (tensor.kept) continue;
    if (returned.has(tensor)) {
      if (parent) parent.push(tensor);
      else leaveToBackstop(tensor);
    } else {
      native.dispose(tensor.handle);
    }
  }
  return result;
}

/** Live tensors (handles not yet disposed) and the bytes of their distinct storages. */
export function memory(): { tensors: number; bytes: number } {
  return native.memory();
}
