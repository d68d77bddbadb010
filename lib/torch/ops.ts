import { native, type NativeValue } from '../native.js';

/** Every operator name lib/ declares, so a test can check that each resolves. */
export const declaredOps: string[] = [];

/**
 * An ATen operator by its schema name ('aten::add.Tensor'), looked up on first use and
 * called through libtorch's dispatcher with arguments in schema order.
 */
export function aten(qualifiedName: string): (...args: unknown[]) => NativeValue {
  declaredOps.push(qualifiedName);
  const dot = qualifiedName.indexOf('.', qualifiedName.indexOf('::'));
  const name = dot < 0 ? qualifiedName : qualifiedName.slice(0, dot);
  const overload = dot < 0 ? '' : qualifiedName.slice(dot + 1);
  let id = -1;
  return (...args: unknown[]) => {
    if (id < 0) id = native.findOp(name, overload);
    return native.callOp(id, ...args);
  };
}
