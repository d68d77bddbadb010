// ATen operators by schema name, through libtorch's dispatcher: the internal fast path
// (atenOps/callOp, numeric ids and handles) that lib/ is built on, and the public
// `torch.ops` (torch.ops.aten.add.Tensor(a, b)) that takes and returns Tensors.
//
// This module has no runtime import of tensor.ts (tensor.ts imports it, and modules import
// either first): `createOps` is given the Tensor class by lib/torch/index.ts.
import { native, type NativeValue } from '../native.js';
import { checkDenseArray } from './arrays.js';
import { dtypeCode, type DType } from './dtype.js';
import type { Tensor } from './tensor.js';

/** Every operator name lib/ declares, so a test can check that each resolves. */
export const declaredOps: string[] = [];

/** Splits 'aten::add.Tensor' into its operator name and overload ('' for the default one). */
function splitName(qualifiedName: string): [name: string, overload: string] {
  const dot = qualifiedName.indexOf('.', qualifiedName.indexOf('::'));
  return dot < 0 ? [qualifiedName, ''] : [qualifiedName.slice(0, dot), qualifiedName.slice(dot + 1)];
}

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
    ids[key] = native.findOp(...splitName(qualifiedName));
  }
  return ids;
}

/** Calls an operator by id through libtorch's dispatcher. */
export const callOp = native.callOp;

// ---- torch.ops: the public surface ------------------------------------------------------

/** A value an operator argument takes: what its schema type says, in JS. */
export type OpValue = Tensor | number | bigint | boolean | string | null | undefined | readonly OpValue[];

/** Arguments by their schema names (`keepdim`, `dtype`, `memory_format` or `memoryFormat`), as a last argument. */
export interface OpKeywords {
  readonly [argument: string]: OpValue;
}

/** An operator's arguments: in schema order (keyword-only ones included), optionally ending with an OpKeywords object. */
export type OpArgs = OpValue[] | [...OpValue[], OpKeywords];

/** What an operator gives back: a Tensor, a number, a boolean, a string, undefined (None), or an array of these for a list or several results. */
export type OpResult = Tensor | number | boolean | string | undefined | readonly OpResult[];

/**
 * One overload of an operator, e.g. `torch.ops.aten.add.Tensor`. It returns a Tensor unless you
 * name another result type: an operator with several results returns an array of them
 * (`torch.ops.aten.topk.default<[Tensor, Tensor]>(x, 2)`), one that returns `int` a number.
 */
export interface OpOverload {
  <R extends OpResult = Tensor>(...args: OpArgs): R;
  /** The schema name, 'aten::add.Tensor' ('aten::relu' for a default overload). */
  readonly name: string;
  /** libtorch's schema: 'aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor'. */
  readonly schema: string;
}

/**
 * An operator, e.g. `torch.ops.aten.add`: its overloads are its properties (`.Tensor`,
 * `.Scalar`, `.out`; `.default` is the overload with no name), and calling it calls the
 * default overload. There is no overload resolution by argument types: name the overload.
 */
export interface OpPacket {
  <R extends OpResult = Tensor>(...args: OpArgs): R;
  readonly default: OpOverload;
  readonly [overload: string]: OpOverload;
}

/** The operators of one namespace, e.g. `torch.ops.aten`, by name. */
export interface OpNamespace {
  readonly [operator: string]: OpPacket;
}

/** `torch.ops`: every operator libtorch's dispatcher has, as PyTorch's `torch.ops` gives them. */
export interface Ops {
  /** ATen, by operator and overload: `torch.ops.aten.add.Tensor(a, b, { alpha: 2 })`, `torch.ops.aten.relu(x)`. */
  readonly aten: OpNamespace;
  /** One overload by its schema name, in any namespace: `op('aten::add.Tensor')`; `op('aten::relu')` is the default overload. */
  op(qualifiedName: string): OpOverload;
}

type ArgKind = 'tensor' | 'tensorList' | 'dtype' | 'other';
type ReturnKind = 'tensor' | 'tensorList' | 'other';

interface ArgInfo {
  name: string;
  /** The schema's type without alias annotations: 'Tensor', 'int[1]?', 'ScalarType?'. */
  type: string;
  kind: ArgKind;
}

interface Signature {
  args: ArgInfo[];
  byName: Map<string, number>;
  returns: ReturnKind[];
}

/** Splits at commas outside brackets, parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** 'Tensor(a -> *)' → 'Tensor', 'Tensor(a!)[]' → 'Tensor[]'. */
function withoutAliases(type: string): string {
  return type.replace(/\([^)]*\)/g, '');
}

function argKind(type: string): ArgKind {
  const base = type.replace(/\?$/, '');
  if (base === 'Tensor') return 'tensor';
  if (/^Tensor\??\[\d*\]$/.test(base)) return 'tensorList';
  if (base === 'ScalarType') return 'dtype';
  return 'other';
}

function returnKind(type: string): ReturnKind {
  const base = type.replace(/\?$/, '');
  if (base === 'Tensor') return 'tensor';
  if (/^Tensor\??\[\d*\]$/.test(base)) return 'tensorList';
  return 'other';
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Reads argument names and kinds and result kinds from a schema as libtorch prints it. */
export function parseSchema(schema: string): Signature {
  const open = schema.indexOf('(');
  let depth = 0;
  let close = -1;
  for (let i = open; i < schema.length && close < 0; i++) {
    if (schema[i] === '(') depth++;
    else if (schema[i] === ')' && --depth === 0) close = i;
  }
  if (open < 0 || close < 0) throw new Error(`torch.ops: cannot read the schema '${schema}'`);
  const args: ArgInfo[] = [];
  for (const part of splitTopLevel(schema.slice(open + 1, close))) {
    if (part === '*') continue;
    const eq = part.indexOf('=');
    const declaration = withoutAliases(eq < 0 ? part : part.slice(0, eq)).trim();
    const space = declaration.lastIndexOf(' ');
    const type = declaration.slice(0, space).trim();
    args.push({ name: declaration.slice(space + 1), type, kind: argKind(type) });
  }
  const byName = new Map<string, number>();
  args.forEach((a, i) => byName.set(a.name, i));
  args.forEach((a, i) => {
    if (!byName.has(camelCase(a.name))) byName.set(camelCase(a.name), i);
  });
  const arrow = schema.slice(close + 1).trim();
  const returnText = arrow.startsWith('->') ? arrow.slice(2).trim() : '';
  const returnParts = returnText.startsWith('(') && returnText.endsWith(')') ? splitTopLevel(returnText.slice(1, -1)) : returnText ? [returnText] : [];
  const returns = returnParts.map((p) => returnKind(withoutAliases(p).trim().split(/\s+/)[0]!));
  return { args, byName, returns };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name === 'Tensor' ? 'a Tensor' : 'an object';
  return typeof value;
}

function invalid(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_VALUE' });
}

// Overload names common in native_functions.yaml. libtorch's C++ API cannot list an
// operator's overloads, so when a name does not resolve these are tried, to tell an unknown
// operator from an unknown overload and to suggest the overloads it has.
const COMMON_OVERLOADS = [
  '', 'Tensor', 'Scalar', 'out', 'Tensor_out', 'Scalar_out', 'self', 'other', 'input', 'int', 'float', 'bool', 'str',
  'dim', 'dims', 'dim_IntList', 'IntList', 'intlist', 'names', 'names_dim', 'dimname', 'Dimname', 'Tensor_Scalar',
  'Scalar_Tensor', 'Tensor_Tensor', 'Tensor_mode', 'Scalar_mode', 'mode', 'correction', 'correction_out', 'dtype',
  'device', 'other', 'List', 'ScalarList', 'Tensor_list', 'vec', 'using_ints', 'using_sizes', 'sizes', 'value',
  'values', 'src', 'source', 'memory_format', 'generator', 'low', 'stable', 'padding_idx', 'dim_max', 'dim_min',
  'unary_out', 'Tensor_float', 'float_Tensor', 'int_Tensor', 'Tensor_int', 'array', 'Tensor_hf', 'Tensor_other',
];

function overloadsOf(name: string): string[] {
  const found = new Set<string>();
  for (const overload of COMMON_OVERLOADS) {
    try {
      native.findOp(name, overload);
      found.add(overload === '' ? 'default' : overload);
    } catch {
      // not an overload of this operator
    }
  }
  return [...found];
}

function lookUp(name: string, overload: string): number {
  try {
    return native.findOp(name, overload);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  const asked = overload ? `${name}.${overload}` : name;
  const found = overloadsOf(name);
  if (found.length === 0) {
    throw invalid(`torch.ops: libtorch has no operator ${name} (asked for '${asked}'); names are those of ATen's native_functions.yaml, e.g. 'aten::add.Tensor'`);
  }
  const [namespace, op] = name.split('::') as [string, string];
  const example = found.includes('default') ? `torch.ops.${namespace}.${op}(...)` : `torch.ops.${namespace}.${op}.${found[0]}(...)`;
  if (overload === '') {
    throw invalid(`torch.ops: ${name} has no default overload; name one, e.g. ${example} (overloads found: ${found.join(', ')})`);
  }
  throw invalid(`torch.ops: ${name} has no overload '${overload}' (overloads found: ${found.join(', ')}; e.g. ${example})`);
}

/**
 * Builds `torch.ops` on the Tensor class (lib/torch/index.ts passes it; see the note at the
 * top of this file). Tensors given are passed by handle, dtype names become libtorch's
 * ScalarType codes, and the Tensors returned are ordinary ones, owned by the current scope.
 */
export function createOps(TensorClass: typeof Tensor): Ops {
  const overloads = new Map<string, OpOverload>();

  function convert(value: OpValue, arg: ArgInfo, opName: string): unknown {
    if (value === undefined || value === null) return value;
    const label = `${opName}(): argument '${arg.name}'`;
    // A list goes to libtorch element by element: a huge or sparse one is refused first.
    if (Array.isArray(value)) checkDenseArray(value, label);
    switch (arg.kind) {
      case 'tensor':
        if (value instanceof TensorClass) return value.handle;
        throw new TypeError(`${label} must be a Tensor, got ${describe(value)}`);
      case 'tensorList':
        if (!Array.isArray(value)) throw new TypeError(`${label} must be an array of Tensors, got ${describe(value)}`);
        return (value as readonly OpValue[]).map((v, i) => {
          if (v instanceof TensorClass) return v.handle;
          if ((v === null || v === undefined) && arg.type.startsWith('Tensor?')) return null;
          throw new TypeError(`${label} element ${i} must be a Tensor, got ${describe(v)}`);
        });
      case 'dtype':
        return typeof value === 'string' ? dtypeCode(value as DType, label) : value;
      case 'other':
        if (value instanceof TensorClass || (Array.isArray(value) && value.some((v) => v instanceof TensorClass))) {
          throw new TypeError(`${label} is a ${arg.type}, not a Tensor`);
        }
        return value;
    }
  }

  function result(value: NativeValue, kind: ReturnKind): OpResult {
    if (value === undefined || value === null) return undefined;
    if (kind === 'tensor') return TensorClass.wrap(value);
    if (kind === 'tensorList') {
      if (!Array.isArray(value)) throw new TypeError('expected a list of tensors from libtorch');
      return value.map((v) => (v === undefined || v === null ? undefined : TensorClass.wrap(v)));
    }
    return value as OpResult;
  }

  function overload(name: string, overloadName: string): OpOverload {
    const qualifiedName = overloadName ? `${name}.${overloadName}` : name;
    const cached = overloads.get(qualifiedName);
    if (cached) return cached;
    const id = lookUp(name, overloadName);
    const schema = native.opSchema(id);
    const signature = parseSchema(schema);
    const call = (...given: unknown[]): OpResult => {
      let args = given as OpValue[];
      const last = given[given.length - 1];
      if (last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof TensorClass)) {
        const proto = Object.getPrototypeOf(last) as unknown;
        if (proto === Object.prototype || proto === null) {
          args = given.slice(0, -1) as OpValue[];
          for (const [key, value] of Object.entries(last as OpKeywords)) {
            const index = signature.byName.get(key);
            if (index === undefined) {
              throw new TypeError(`${qualifiedName}(): no argument '${key}'; its arguments are ${signature.args.map((a) => a.name).join(', ')}`);
            }
            if (args[index] !== undefined) throw new TypeError(`${qualifiedName}(): argument '${signature.args[index]!.name}' given twice`);
            while (args.length < index) args.push(undefined);
            args[index] = value;
          }
        }
      }
      if (args.length > signature.args.length) {
        throw new TypeError(`${qualifiedName}() takes ${signature.args.length} arguments, got ${args.length}`);
      }
      const converted = args.map((value, i) => convert(value, signature.args[i]!, qualifiedName));
      const returned = callOp(id, ...converted);
      if (signature.returns.length === 0) return undefined;
      if (signature.returns.length === 1) return result(returned, signature.returns[0]!);
      if (!Array.isArray(returned)) throw new TypeError(`${qualifiedName}(): expected ${signature.returns.length} results from libtorch`);
      return signature.returns.map((kind, i) => result(returned[i], kind));
    };
    Object.defineProperty(call, 'name', { value: qualifiedName });
    Object.defineProperty(call, 'schema', { value: schema, enumerable: true });
    const op = call as unknown as OpOverload;
    overloads.set(qualifiedName, op);
    return op;
  }

  // Keys that are not overload or operator names: promises, printing and conversions look
  // them up on anything, and a packet is a function.
  const notOperators = new Set(['then', 'constructor', 'toString', 'toJSON', 'valueOf', 'inspect', '__proto__']);
  const notOverloads = new Set([...notOperators, 'call', 'apply', 'bind', 'length', 'name', 'prototype']);

  function packet(name: string): OpPacket {
    const target = (...args: unknown[]) => (overload(name, '') as (...a: unknown[]) => OpResult)(...args);
    Object.defineProperty(target, 'name', { value: name });
    return new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === 'symbol' || notOverloads.has(key)) return Reflect.get(t, key, receiver) as unknown;
        return overload(name, key === 'default' ? '' : key);
      },
    }) as unknown as OpPacket;
  }

  const namespaces = new Map<string, OpNamespace>();
  function namespace(ns: string): OpNamespace {
    let found = namespaces.get(ns);
    if (!found) {
      const packets = new Map<string, OpPacket>();
      const target = Object.defineProperties({}, {
        [Symbol.toStringTag]: { value: `torch.ops.${ns}` },
        toString: { value: () => `torch.ops.${ns}` },
      });
      found = new Proxy(target as OpNamespace, {
        get(t, key, receiver) {
          if (typeof key === 'symbol' || notOperators.has(key)) return Reflect.get(t, key, receiver) as unknown;
          let p = packets.get(key);
          if (!p) packets.set(key, (p = packet(`${ns}::${key}`)));
          return p;
        },
      });
      namespaces.set(ns, found);
    }
    return found;
  }

  return Object.freeze({
    aten: namespace('aten'),
    op(qualifiedName: string): OpOverload {
      if (typeof qualifiedName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*::[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?$/.test(qualifiedName)) {
        throw new TypeError(`torch.ops.op(): expected a schema name like 'aten::add.Tensor', got ${typeof qualifiedName === 'string' ? `'${qualifiedName}'` : describe(qualifiedName)}`);
      }
      return overload(...splitName(qualifiedName));
    },
  });
}
