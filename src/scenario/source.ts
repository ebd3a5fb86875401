/**
 * The parsed YAML document of a scenario, kept with positions so that any key path can be
 * traced back to a line and column in the file, or to the `--set` override that put it there.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { KeyPath } from './paths.js';

export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/** Where a problem is: a place in the file, or the override (by its key path text) that supplied the value. */
export type Location = { readonly kind: 'file'; readonly position: FilePosition } | { readonly kind: 'override'; readonly override: string };

/**
 * What a location should point at:
 * - `value`: the value at the path (or, when the path does not exist, the nearest existing parent);
 * - `key`: the key of the last path segment (unknown keys);
 * - `parent`: the nearest existing parent mapping (missing keys).
 */
export type Target = 'value' | 'key' | 'parent';

interface Step {
  /** The node reached (a YAML node, or null for an absent value). */
  readonly node: unknown;
  /** The key node of the pair the step went through, if any. */
  readonly key: unknown;
}

export class ScenarioSource {
  private readonly overrideNodes = new WeakMap<object, string>();

  constructor(
    readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Marks a node (and so everything below it) as supplied by the override with this key path text. */
  markOverride(node: unknown, label: string): void {
    if (typeof node === 'object' && node !== null) this.overrideNodes.set(node, label);
  }

  /** True when a `--set` override put this node in the document. */
  fromOverride(node: unknown): boolean {
    return this.overrideOf(node) !== undefined;
  }

  /** 1-based line and column of a node's start, when it came from the file. */
  position(node: unknown): FilePosition | undefined {
    if (!isNode(node) || !node.range) return undefined;
    const { line, col } = this.lineCounter.linePos(node.range[0]);
    return { line, column: col };
  }

  /** Position of a byte offset into the file. */
  offsetPosition(offset: number): FilePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** True when the document has a (non-empty) value at this path. */
  has(path: KeyPath): boolean {
    const { steps, complete } = this.walk(path);
    const last = steps[steps.length - 1].node;
    return complete && last !== null && !(isScalar(last) && last.value === null);
  }

  locate(path: KeyPath, target: Target = 'value'): Location | undefined {
    const { steps, complete } = this.walk(path);
    for (let i = steps.length - 1; i >= 0; i--) {
      const { node, key } = steps[i];
      const label = this.overrideOf(node) ?? this.overrideOf(key);
      if (label !== undefined) return { kind: 'override', override: label };
      const terminal = i === steps.length - 1 && complete;
      const order = terminal && target === 'value' && !isEmptyScalar(node) ? [node, key] : [key, node];
      for (const candidate of order) {
        const position = this.position(candidate);
        if (position) return { kind: 'file', position };
      }
    }
    return undefined;
  }

  private overrideOf(node: unknown): string | undefined {
    return typeof node === 'object' && node !== null ? this.overrideNodes.get(node) : undefined;
  }

  private walk(path: KeyPath): { steps: Step[]; complete: boolean } {
    const steps: Step[] = [{ node: this.doc.contents, key: undefined }];
    for (const segment of path) {
      const current = this.resolve(steps[steps.length - 1].node);
      if (isMap(current)) {
        const pair = current.items.find((item) => keyText(item.key) === String(segment));
        if (!pair) return { steps, complete: false };
        steps.push({ node: pair.value, key: pair.key });
      } else if (isSeq(current) && typeof segment === 'number' && segment < current.items.length) {
        steps.push({ node: current.items[segment], key: undefined });
      } else {
        return { steps, complete: false };
      }
    }
    return { steps, complete: true };
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

/** The text of a mapping key as it appears once the document is turned into plain data. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}
