/** Reading a report's input files, with errors that name the file and the line. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** An input file is missing or malformed: the CLI prints the message, not a stack trace. */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

export type NumericRow = Readonly<Record<string, number>>;

/** One JSON object per line; non-numeric fields are dropped (rows are numeric by convention). */
export async function readJsonl(file: string): Promise<NumericRow[]> {
  const text = await readFile(file, 'utf8');
  const rows: NumericRow[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new ReportInputError(`${file}:${index + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ReportInputError(`${file}:${index + 1}: expected a JSON object`);
    }
    const row: Record<string, number> = {};
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'number' && Number.isFinite(value)) row[key] = value;
    rows.push(row);
  });
  return rows;
}

/** Reads and validates an optional JSON file; undefined when it does not exist. */
export async function readOptionalJson<T extends z.ZodType>(dir: string, name: string, schema: T): Promise<z.output<T> | undefined> {
  const file = join(dir, name);
  if (!existsSync(file)) return undefined;
  return readJson(file, schema);
}

export async function readJson<T extends z.ZodType>(file: string, schema: T): Promise<z.output<T>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ReportInputError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new ReportInputError(`${file}: ${z.prettifyError(result.error).replace(/\n/g, '; ')}`);
  return result.data;
}

export async function readOptionalText(dir: string, name: string): Promise<string | undefined> {
  const file = join(dir, name);
  return existsSync(file) ? readFile(file, 'utf8') : undefined;
}
