/**
 * Mutations that turn a valid scenario into a (usually) invalid one, for the fuzzed-scenario
 * test: a value replaced by one of the wrong type, sign or size, a key deleted, renamed or
 * added, a section emptied, or the YAML text itself broken. Each mutation is data (fast-check
 * draws it), applied to the scenario's plain data or to its text.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
export type Path = readonly (string | number)[];

/** Values that break most fields: wrong type, negative, zero, huge, fractional, not finite, empty. */
export const BAD_VALUES: readonly Plain[] = [
  'abc', '', '1d', '-1d', '0s', '1e400', '10x', '__proto__', 'constructor', 'toString',
  -1, 0, 0.5, -0.5, 1e12, 1e15, 2 ** 53 + 2, 1e308, -1e308, 1e-320, NaN, Infinity, -Infinity,
  null, true, false, [], {}, [1, 2, 3], [-1, -1], ['a', 'b'], { kind: 'bogus' }, { count: -5 }, 'x'.repeat(300),
];

export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: Plain }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'rename'; readonly at: number; readonly suffix: string }
  | { readonly kind: 'unknown-key'; readonly at: number; readonly key: string }
  | { readonly kind: 'empty-section'; readonly at: number }
  | { readonly kind: 'nudge'; readonly at: number; readonly factor: number }
  | { readonly kind: 'text'; readonly offset: number; readonly cut: number; readonly insert: string };

const TEXT_INSERTS = ['[', ']', '{', '}', ':', ': :', '"', "'", '\t', '- ', '&a', '*a', '*nope', '!!binary x', '---\n', '\n  bad', '#', '? ', '<<: *a', '%YAML 1.2\n', '\u0000', '\uFEFF'];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.constantFrom(...BAD_VALUES) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), suffix: fc.constantFrom('s', '_', 'X', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown-key' as const), at: fc.nat(), key: fc.constantFrom('extra', 'count', 'kind', 'days', '__proto__', 'constructor') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('empty-section' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('nudge' as const), at: fc.nat(), factor: fc.constantFrom(-1, 0, 1e6, 1e-6, 1.5, -0.0001) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), offset: fc.nat(), cut: fc.nat({ max: 6 }), insert: fc.constantFrom(...TEXT_INSERTS) }) },
);

/** Every path in `data`, parents before children (the root is the empty path). */
export function pathsOf(data: Plain, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(data)) data.forEach((child, i) => out.push(...pathsOf(child, [...prefix, i])));
  else if (data !== null && typeof data === 'object') for (const [key, child] of Object.entries(data)) out.push(...pathsOf(child, [...prefix, key]));
  return out;
}

function clone(data: Plain): Plain {
  return structuredClone(data);
}

function parentOf(root: Plain, path: Path): { parent: Plain; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let node: Plain = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(segment)] : node[String(segment)];
  }
  return { parent: node, key: path[path.length - 1] };
}

function setAt(parent: Plain, key: string | number, value: Plain | undefined): void {
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(Number(key), 1);
    else parent[Number(key)] = value;
  } else if (parent !== null && typeof parent === 'object') {
    if (value === undefined) delete parent[String(key)];
    else Object.defineProperty(parent, String(key), { value, enumerable: true, writable: true, configurable: true });
  }
}

function getAt(parent: Plain, key: string | number): Plain | undefined {
  if (Array.isArray(parent)) return parent[Number(key)];
  if (parent !== null && typeof parent === 'object') return Object.prototype.hasOwnProperty.call(parent, key) ? parent[String(key)] : undefined;
  return undefined;
}

/** The scenario text after the mutation (the text of `data` as YAML, or `text` with an edit). */
export function mutate(text: string, data: Plain, mutation: Mutation): string {
  if (mutation.kind === 'text') {
    const at = mutation.offset % (text.length + 1);
    return text.slice(0, at) + mutation.insert + text.slice(at + mutation.cut);
  }
  const copy = clone(data);
  const paths = pathsOf(copy);
  const path = paths[mutation.at % paths.length];
  const place = parentOf(copy, path);
  const current = place ? getAt(place.parent, place.key) : copy;
  switch (mutation.kind) {
    case 'replace':
      if (!place) return stringify(mutation.value);
      setAt(place.parent, place.key, mutation.value);
      break;
    case 'delete':
      if (!place) return '';
      setAt(place.parent, place.key, undefined);
      break;
    case 'rename':
      if (!place || Array.isArray(place.parent) || current === undefined) break;
      setAt(place.parent, place.key, undefined);
      setAt(place.parent, `${String(place.key)}${mutation.suffix}`, current);
      break;
    case 'unknown-key':
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) setAt(current, mutation.key, 1);
      break;
    case 'empty-section':
      if (!place) return '{}\n';
      setAt(place.parent, place.key, Array.isArray(current) ? [] : typeof current === 'object' ? {} : null);
      break;
    case 'nudge':
      if (place && typeof current === 'number') setAt(place.parent, place.key, current * mutation.factor);
      break;
  }
  return stringify(copy, { lineWidth: 0 });
}
