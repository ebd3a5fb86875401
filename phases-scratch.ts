import { readFileSync } from 'node:fs';
import { phaseSeconds } from './bench/support/phase-profile.js';
const files = process.argv.slice(2);
const all = files.map((f) => phaseSeconds(JSON.parse(readFileSync(f, 'utf8').replaceAll('/work/main/dist/', '/work/main/src/').replace(/(src\/[^"]*)\.js"/g, '$1.ts"'))));
const keys = [...new Set(all.flatMap((a) => Object.keys(a)))].sort((a, b) => (all[0][b] ?? 0) - (all[0][a] ?? 0));
for (const k of keys) console.log(k.padEnd(28), all.map((a) => (a[k] ?? 0).toFixed(2).padStart(7)).join(' '));
console.log('total'.padEnd(28), all.map((a) => Object.values(a).reduce((s, v) => s + v, 0).toFixed(2).padStart(7)).join(' '));
