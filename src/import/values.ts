/** Reading one field of an external log: numbers, whole numbers, clicks, date-times; each failure says what was expected and what was found. */
import { ImportError } from './import-error.js';

export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Date, time to the second, its fraction, zone. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function finiteNumber(text: string, where: () => string): number {
  if (!NUMBER.test(text)) throw new ImportError(`${where()}: expected a number, found ${quote(text)}`);
  return Number(text);
}

export function wholeNumber(text: string, where: () => string, min = 0): number {
  const value = finiteNumber(text, where);
  if (!Number.isInteger(value) || value < min || value > 2 ** 31 - 1) {
    throw new ImportError(`${where()}: expected a whole number of ${min} or more, found ${quote(text)}`);
  }
  return value;
}

export function click(text: string, where: () => string): number {
  switch (text.toLowerCase()) {
    case '1':
    case '1.0':
    case 'true':
      return 1;
    case '0':
    case '0.0':
    case 'false':
      return 0;
    default:
      throw new ImportError(`${where()}: expected a click, 0 or 1 (or true/false), found ${quote(text)}`);
  }
}

/** Microseconds since 1970, whole: the fraction of a second is read to the microsecond, which Date.parse would cut to the millisecond. */
export function dateTime(text: string, where: () => string): number {
  const match = DATE_TIME.exec(text);
  // Date.parse alone would read "12.5" as a date, and a date-time without a zone in local time.
  const ms = match ? Date.parse(`${match[1]}T${match[2] ?? '00:00'}${match[4] ?? 'Z'}`) : Number.NaN;
  if (!match || !Number.isFinite(ms)) throw new ImportError(`${where()}: expected a date-time such as 2019-11-24 00:03:13+00:00, found ${quote(text)}`);
  const fraction = match[3] === undefined ? 0 : Math.round(Number(`0${match[3]}`) * 1e6);
  return ms * 1000 + fraction;
}

/** A feature column: numbers when every value is one (empty = NULL), text otherwise. */
export type FeatureColumn =
  | { readonly name: string; readonly kind: 'number'; readonly values: readonly (number | null)[] }
  | { readonly name: string; readonly kind: 'text'; readonly values: readonly string[] };

export function featureColumn(name: string, texts: readonly string[]): FeatureColumn {
  if (texts.every((t) => t === '' || NUMBER.test(t))) {
    return { name, kind: 'number', values: texts.map((t) => (t === '' ? null : Number(t))) };
  }
  return { name, kind: 'text', values: [...texts] };
}

function quote(text: string): string {
  return text === '' ? 'an empty field' : JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
