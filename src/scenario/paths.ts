/** Key paths into a scenario document, and how they are shown to users. */

import type { KeyPath } from '../settings/problem.js';

export type { KeyPath, PathSegment } from '../settings/problem.js';

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['world', 'items', 'quality', 'beta', 1]` → `world.items.quality.beta[1]`; odd keys are quoted: `world["my key"]`. */
export function formatPath(path: KeyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** True when `path` is `prefix` or lies below it. */
export function startsWith(path: KeyPath, prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
