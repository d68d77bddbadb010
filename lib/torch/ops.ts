import { native } from '../native.js';

/** Every operator name lib/ declares, so a test can check that each resolves. */
export const declaredOps: string[] = [];

/**
 * Looks ATen operators up by schema name ('aten::add.Tensor') once, at module load, and
 * gives their ids for `callOp(id, ...args)` (arguments in schema order). Ids are plain
 * numbers so that a call site costs one native call and nothing more.
 */
export function atenOps<K extends string>(names: Record<K, string>): Record<K, number> {
  const ids = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) {
    const qualifiedName = names[key];
    declaredOps.push(qualifiedName);
    const dot = qualifiedName.indexOf('.', qualifiedName.indexOf('::'));
    ids[key] = dot < 0 ? native.findOp(qualifiedName, '') : native.findOp(qualifiedName.slice(0, dot), qualifiedName.slice(dot + 1));
  }
  return ids;
}

/** Calls an operator by id through libtorch's dispatcher. */
export const callOp = native.callOp;
