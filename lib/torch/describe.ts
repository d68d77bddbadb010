// User-given values as error messages show them. An error message must cost nothing whatever
// it was given: String(tensor) reads and formats elements, `${array}` and JSON.stringify walk
// every index (four billion for `a.length = 2 ** 32 - 1`). describeValue() looks at a bounded
// part of any value and names a tensor by shape, dtype and device.
//
// Nothing is imported (not even the addon), so any module can use this one without an import
// cycle; a tensor is known by the fields every Tensor has (as scope.ts knows it).

const PREVIEW_ITEMS = 8;
const PREVIEW_CHARS = 60;
const MAX_DESCRIPTION = 300;

const article = (noun: string): string => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`);

function quote(text: string): string {
  if (text.length <= PREVIEW_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, PREVIEW_CHARS))}… (${text.length} characters)`;
}

interface TensorLike {
  handle: number;
  kept: boolean;
  released: boolean;
  readonly isDisposed: boolean;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly device: string;
}

function isTensor(value: object): value is TensorLike {
  return 'handle' in value && 'kept' in value && 'released' in value && typeof value.handle === 'number';
}

/** A tensor by shape, dtype and device: none of its elements are read. */
function describeTensor(t: TensorLike): string {
  const name = t.constructor.name;
  const kind = name === '' || name === 'Object' ? 'Tensor' : name;
  if (t.isDisposed) return `a disposed ${kind}`;
  return `${article(kind)} of shape [${t.shape.join(', ')}], ${t.dtype} on ${t.device}`;
}

function describeAt(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return quote(value);
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return `Symbol(${quote(value.description ?? '')})`;
    case 'function':
      return value.name ? `the function ${value.name.slice(0, PREVIEW_CHARS)}` : 'a function';
  }
  if (value === null) return 'null';
  if (isTensor(value as object)) return describeTensor(value as TensorLike);
  if (Array.isArray(value)) {
    // Only the first few indices are looked at: a length of 2**32 - 1 costs nothing.
    const length = value.length;
    if (depth >= 2 || length === 0) return length === 0 ? '[]' : `an array of length ${length}`;
    const items: string[] = [];
    for (let i = 0; i < Math.min(length, PREVIEW_ITEMS); i++) {
      if (!(i in value)) return `a sparse array of length ${length}`;
      items.push(describeAt(value[i], depth + 1));
    }
    if (length > PREVIEW_ITEMS) items.push(`… (length ${length})`);
    return `[${items.join(', ')}]`;
  }
  if (ArrayBuffer.isView(value)) {
    const length = 'length' in value ? (value as unknown as { length: number }).length : value.byteLength;
    return `${article(value.constructor.name)} of length ${length}`;
  }
  if (value instanceof Map || value instanceof Set) return `${article(value.constructor.name)} of size ${value.size}`;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return '{}';
    if (depth >= 2) return `an object with ${keys.length} key${keys.length === 1 ? '' : 's'}`;
    const record = value as Record<string, unknown>;
    const items = keys.slice(0, PREVIEW_ITEMS).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)}: ${describeAt(record[k], depth + 1)}`);
    if (keys.length > PREVIEW_ITEMS) items.push(`… (${keys.length} keys)`);
    return `{ ${items.join(', ')} }`;
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? article(name) : 'an object';
}

/**
 * A user-given value as an error message shows it, in bounded time and length whatever it
 * is: a Tensor by shape, dtype and device ('a Tensor of shape [2, 3], float32 on cpu'),
 * numbers as themselves, strings quoted (long ones cut), arrays and plain objects by their
 * first few entries, other objects by kind ('a Map of size 2', 'a Linear').
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = describeAt(value, 0);
  } catch {
    text = article(typeof value); // a Proxy or getter that throws
  }
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}
