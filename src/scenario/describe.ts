/** Plain-words descriptions of values found in a scenario, for messages such as `found the string "many"`. */

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return value === '' ? 'an empty string' : `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan (not a number)';
    if (value === Infinity) return '.inf (infinity)';
    if (value === -Infinity) return '-.inf (minus infinity)';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  // YAML tags that make objects of scalars.
  if (value instanceof Uint8Array) return 'binary data (a !!binary value)';
  if (value instanceof Date) return 'a date (a !!timestamp value)';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** `a, b or c` */
export function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
