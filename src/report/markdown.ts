/** summary.md: a sentence per failure of the loop and the summary table, as Markdown ready to paste into a design document. */
import { FAILURES } from './failures.js';
import { FRONTIER_TITLE } from './sections.js';
import { failureSentence, frontierSentence } from './sentences/index.js';
import { summaryTable } from './summary-table.js';
import { reportTitle } from './titles.js';
import type { ReportData } from './types.js';

export function summaryMarkdown(data: ReportData): string {
  const table = summaryTable(data);
  const lines = [`# ${escapeCell(reportTitle(data))}`, ''];
  if (data.description) lines.push(data.description.replace(/\s+/g, ' '), '');
  lines.push(data.facts.map((f) => `**${f.label}:** ${escapeCell(f.value)}`).join(' · '), '');
  // A sweep's efficient cells, then each failure of the loop in one sentence, before the table that backs it.
  const frontier = frontierSentence(data);
  if (frontier !== undefined) lines.push(`## ${FRONTIER_TITLE}`, '', frontier, '');
  for (const failure of FAILURES) {
    const sentence = failureSentence(data, failure);
    if (sentence !== undefined) lines.push(`## ${failure.title}`, '', sentence, '');
  }
  if (lines.some((line) => line.startsWith('## '))) lines.push('## Summary table', '');
  lines.push(`| ${table.header.map(escapeCell).join(' | ')} |`);
  lines.push(`|${table.header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const row of table.rows) {
    const cells = row.cells.map((c) => (c.breach ? `**${escapeCell(c.text)}**` : escapeCell(c.text)));
    lines.push(`| ${escapeCell(row.label)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const note of table.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
