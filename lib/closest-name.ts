// The known name a mistyped one most likely meant: for unknown flags, config keys and options.
/**
 * The known names a mistyped one most likely meant: those it is a prefix of ('batch' →
 * 'batch-size'), else the nearest by Damerau–Levenshtein distance, when that distance is at
 * most max(2, a third of its length) and below its length. Case, '_' and camelCase are
 * ignored. At most three, best first.
 */
export function closest(name: string, names: readonly string[]): string[] {
  const key = kebab(name);
  if (key.length === 0) return [];
  const exact = names.filter((n) => kebab(n) === key);
  if (exact.length > 0) return exact.slice(0, 1);
  if (key.length >= 3) {
    const prefixed = names.filter((n) => n.startsWith(key));
    if (prefixed.length > 0) return [...prefixed].sort((a, b) => a.length - b.length).slice(0, 3);
  }
  const limit = Math.min(Math.max(2, Math.floor(key.length / 3)), key.length - 1);
  const scored = names.map((n) => ({ n, d: editDistance(key, n) })).filter((s) => s.d <= limit);
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.n).slice(0, 3);
}

/** 'batch-size' from 'batchSize' or 'batch_size'. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/_/g, '-');
}

/** Damerau–Levenshtein distance (optimal string alignment: a swap of neighbours costs 1). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

