/**
 * `node scripts/mutation-by-hand.mjs <group> [--file <substring>] [--lines 12,40-45] [--static]
 * [--tests a.test.ts,b.test.ts]`: applies each undetected mutant of the group's committed
 * incremental.json to its source file, one at a time, runs the group's test files (or those given)
 * with vitest, restores the file, and prints
 * `killed` or `survived` per mutant. For what an incremental run cannot settle: static
 * (module-level) mutants it does not retry when only tests changed, and a check of new tests
 * before the next Stryker run. The source must still match the report's copy.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { GROUPS, GROUP_ORDER } from './mutation-groups.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const group = args.find((a, i) => !a.startsWith('--') && !['--file', '--lines', '--tests'].includes(args[i - 1]));
if (!group || !(group in GROUPS)) {
  console.error(`usage: node scripts/mutation-by-hand.mjs <group> [--file <substring>] [--lines 12,40-45] [--static]; groups: ${GROUP_ORDER.join(', ')}`);
  process.exit(2);
}
const fileFilter = option('--file');
const lineRanges = (option('--lines') ?? '')
  .split(',')
  .filter(Boolean)
  .map((r) => r.split('-').map(Number))
  .map(([from, to]) => [from, to ?? from]);
const inLines = (line) => lineRanges.length === 0 || lineRanges.some(([from, to]) => line >= from && line <= to);
const onlyStatic = args.includes('--static');
const tests = option('--tests')?.split(',') ?? GROUPS[group].tests;

// Background work, like the Stryker runs: let other jobs on the machine go first.
try {
  setPriority(10);
} catch {
  // not permitted here: run at normal priority
}

const report = JSON.parse(readFileSync(`reports/mutation/${group}/incremental.json`, 'utf8'));

/** Offset in `source` of a 1-based line and column. */
function offset(lineStarts, { line, column }) {
  return lineStarts[line - 1] + column - 1;
}

let killed = 0;
let survived = 0;
for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  if (fileFilter && !file.includes(fileFilter)) continue;
  const picked = mutants
    .filter((m) => (m.status === 'Survived' || m.status === 'NoCoverage') && inLines(m.location.start.line) && (!onlyStatic || m.static))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  if (picked.length === 0) continue;
  if (readFileSync(file, 'utf8') !== source) {
    console.error(`${file} has changed since the report: rerun Stryker first`);
    process.exit(1);
  }
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const restore = () => writeFileSync(file, source);
  // Stopped midway (Ctrl-C or kill), the file gets its source back.
  const stop = () => {
    restore();
    process.exit(130);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  for (const m of picked) {
    const mutated = source.slice(0, offset(lineStarts, m.location.start)) + m.replacement + source.slice(offset(lineStarts, m.location.end));
    writeFileSync(file, mutated);
    const status = await new Promise((done) => spawn('npx', ['vitest', 'run', ...tests, '--bail', '1'], { stdio: 'ignore' }).on('close', done));
    restore();
    const detected = status !== 0;
    if (detected) killed++;
    else survived++;
    const { line, column } = m.location.start;
    console.log(`${detected ? 'killed  ' : 'survived'} ${file}:${line}:${column} → ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)} [${m.mutatorName}${m.static ? ', static' : ''}]`);
  }
  process.off('SIGINT', stop).off('SIGTERM', stop);
}
console.log(`${killed} killed, ${survived} survived`);
