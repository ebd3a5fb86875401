/**
 * `node scripts/mutation-survivors.mjs <group> [--file <substring>]`: prints the group's undetected
 * mutants (survived and no coverage) from its committed reports/mutation/<group>/incremental.json,
 * one a line as `file:line:col original → replacement [status, mutator]`, in source order.
 */
import { readFileSync } from 'node:fs';
import { GROUPS, GROUP_ORDER } from './mutation-groups.mjs';

const args = process.argv.slice(2);
const group = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--file');
const fileFilter = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;
if (!group || !(group in GROUPS)) {
  console.error(`usage: node scripts/mutation-survivors.mjs <group> [--file <substring>]; groups: ${GROUP_ORDER.join(', ')}`);
  process.exit(2);
}

const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const report = JSON.parse(readFileSync(`reports/mutation/${group}/incremental.json`, 'utf8'));

/** The source text between two 1-based line/column positions, newlines folded to spaces. */
function originalText(lines, { start, end }) {
  const picked = [];
  for (let line = start.line; line <= end.line; line++) {
    const text = lines[line - 1] ?? '';
    const from = line === start.line ? start.column - 1 : 0;
    const to = line === end.line ? end.column - 1 : text.length;
    picked.push(text.slice(from, to));
  }
  return picked.join(' ').replace(/\s+/g, ' ');
}

/** Long originals (whole blocks) are cut so each survivor stays on one readable line. */
function short(text, max = 80) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

let total = 0;
for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  if (fileFilter && !file.includes(fileFilter)) continue;
  const lines = source.split('\n');
  const undetected = mutants
    .filter((m) => UNDETECTED.has(m.status))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of undetected) {
    const { line, column } = m.location.start;
    const original = short(originalText(lines, m.location));
    const replacement = short((m.replacement ?? '').replace(/\s+/g, ' '));
    console.log(`${file}:${line}:${column} ${original} → ${replacement} [${m.status}, ${m.mutatorName}${m.static ? ', static' : ''}]`);
  }
  total += undetected.length;
}
console.log(`${total} undetected mutants in group ${group}`);
