/**
 * `--set key.path=value` overrides, applied to the YAML document before validation so the
 * schema checks them like anything written in the file. Values are read as YAML (`5000` is a
 * number, `true` a boolean, `[2, 5]` a list, `5m` a string); missing mappings on the way are
 * created. Nodes an override puts in the document are marked, so problems with them are
 * reported as `--set world.users.count` rather than as a line of the file.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { describeValue } from './describe.js';
import { formatPath, type KeyPath, type PathSegment } from './paths.js';
import type { ScenarioSource } from './source.js';

export interface Override {
  /** The override as the user wrote it, e.g. `world.users.count=5000`. */
  readonly text: string;
  readonly path: KeyPath;
  /** The path as shown in messages, e.g. `world.users.count`. */
  readonly label: string;
  readonly value: unknown;
}

const EXAMPLE = 'expected key.path=value, e.g. --set world.users.count=5000';
const SEGMENT = /^([A-Za-z0-9_-]+)((?:\[\d+\])*)$/;

/** Reads one override; returns an error message (without the `--set` prefix) when it is malformed. */
export function parseOverride(text: string): Override | { readonly error: string } {
  const eq = text.indexOf('=');
  if (eq < 0) return { error: `no "=" in the override; ${EXAMPLE}` };
  const pathText = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1);
  if (pathText === '') return { error: `the key path before "=" is empty; ${EXAMPLE}` };

  const path: PathSegment[] = [];
  for (const part of pathText.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) {
      return {
        error: `"${pathText}" is not a key path; expected keys separated by dots, such as world.users.count (list items as world.items.quality.beta[1])`,
      };
    }
    path.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }

  const valueDoc = parseDocument(valueText, { prettyErrors: false, logLevel: 'error' });
  if (valueDoc.errors.length > 0) {
    return { error: `cannot read the value ${JSON.stringify(valueText)} as YAML: ${valueDoc.errors[0].message}` };
  }
  let value: unknown;
  try {
    value = valueDoc.toJS();
  } catch (error) {
    return { error: `cannot read the value ${JSON.stringify(valueText)} as YAML: ${errorText(error)}` };
  }
  if (holdsTaggedObject(value)) {
    return { error: `cannot use the value ${JSON.stringify(valueText)}: a tagged value such as !!binary or !!timestamp is not a scenario value` };
  }
  return { text, path, label: formatPath(path), value };
}

/** A !!binary or !!timestamp anywhere in a value (set into the document, it would turn into a mapping of its fields). */
function holdsTaggedObject(value: unknown): boolean {
  if (value instanceof Uint8Array || value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(holdsTaggedObject);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsTaggedObject);
  return false;
}

/**
 * Applies an override to the document; returns an error message when the path cannot be set.
 * A missing mapping on the way starts from `defaultAt(path)` when that gives one (so that
 * `schedule.batch_window=5m` keeps the default `kind: continuous`), else empty.
 */
export function applyOverride(
  source: ScenarioSource,
  override: Override,
  defaultAt: (path: KeyPath) => unknown = () => undefined,
): string | undefined {
  const { doc } = source;
  const { path, label } = override;
  let container: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    const here = formatPath(path.slice(0, i));
    const make = (): unknown => {
      const node = doc.createNode(last ? override.value : (defaultAt(path.slice(0, i + 1)) ?? {}));
      source.markOverride(node, label);
      return node;
    };

    if (isMap(container)) {
      if (typeof segment === 'number') return `${here} is a mapping, not a list`;
      const map: YAMLMap = container;
      let pair = map.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === segment);
      if (!pair) {
        if (!last && typeof path[i + 1] === 'number') {
          return `${formatPath(path.slice(0, i + 1))} does not exist, and only mappings are created on the way`;
        }
        pair = doc.createPair(segment, null);
        source.markOverride(pair.key, label);
        pair.value = make();
        map.items.push(pair);
      } else if (last || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
        if (!last && typeof path[i + 1] === 'number') {
          return `${formatPath(path.slice(0, i + 1))} is empty, and only mappings are created on the way`;
        }
        pair.value = make();
      } else if (isAlias(pair.value)) {
        // Setting inside an alias must not change the anchored original: copy it here first.
        const target = pair.value.resolve(doc);
        pair.value = target ? target.clone() : make();
      }
      container = pair.value;
    } else if (isSeq(container)) {
      const seq: YAMLSeq = container;
      if (typeof segment !== 'number') return `${here} is a list, so the next key must be an index such as [0]`;
      const size = seq.items.length;
      if (last ? segment > size : segment >= size) {
        return `${here} has ${size} item${size === 1 ? '' : 's'}, so there is no ${formatPath([...path.slice(0, i), segment])}`;
      }
      if (last) {
        seq.items[segment] = make();
      } else {
        const item = seq.items[segment];
        if (isAlias(item)) seq.items[segment] = item.resolve(doc)?.clone() ?? item;
      }
      container = seq.items[segment];
    } else {
      const found = isScalar(container) ? describeValue(container.value) : describeValue(container);
      return `${here} is ${found}, not a mapping`;
    }
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
