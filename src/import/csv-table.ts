/**
 * A CSV file as a header and rows of strings, each row with the line it starts on, so every
 * later error can say `file:line`. RFC 4180 quoting ("a, b", "say ""hi""", newlines inside
 * quotes); CRLF or LF; a final empty line is ignored. Parsed here rather than by DuckDB because
 * DuckDB's reader does not tell which line a value came from.
 */
import { readFile } from 'node:fs/promises';
import { ImportError } from './import-error.js';
import type { SourceTable } from './source-table.js';

export async function readCsvTable(file: string): Promise<SourceTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ImportError(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  const records = parseCsv(text, file);
  const head = records.shift();
  if (head === undefined) throw new ImportError(`${file}: empty file; expected a header line naming the columns`);
  const header = head.values;
  const rows = records.map((record) => {
    if (record.values.length !== header.length) {
      throw new ImportError(`${file}:${record.line}: ${record.values.length} fields; expected ${header.length}, as the header has`);
    }
    return record;
  });
  return { file, header, rows, where: (line) => `${file}:${line}` };
}

interface CsvRecord {
  readonly line: number;
  readonly values: string[];
}

function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const start = line;
    const values: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new ImportError(`${file}:${start}: a quoted field is not closed`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new ImportError(`${file}:${line}: text after a closing quote; expected a comma or the end of the line`);
        }
      } else {
        const end = nextDelimiter(text, i);
        value = text.slice(i, end);
        i = end;
      }
      values.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    // A blank line (e.g. the file's last) is not a record.
    if (values.length === 1 && values[0] === '') continue;
    records.push({ line: start, values });
  }
  return records;
}

function nextDelimiter(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
