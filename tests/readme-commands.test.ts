/**
 * The README's commands, run as a new user would: every command of every ```sh block, in the
 * order shown, in a scratch copy of the repository (README, package.json, tsconfigs, src/,
 * scenarios/, notebooks/, examples/, and a link to node_modules standing for `npm install`). `recloop` is a
 * shim for `node dist/cli/main.js`, which is what `npm link` puts on PATH. Each command must exit
 * 0, and the files the README says it writes must be there.
 *
 * A few commands are not run as written; EXCLUDED, SHORTENED and REWRITTEN say which and why, and
 * the test fails if one of them is no longer in the README, so the lists cannot go stale. The
 * benchmarks are not run (minutes each, and they only print figures); what they name must exist.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '../src/init/index.js';
import { tempDir } from './support/scenarios.js';

const ROOT = resolve(import.meta.dirname, '..');
const COPIED = ['README.md', '.gitignore', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scenarios', 'notebooks', 'examples', 'data'];

/** Commands not run, with the reason. */
const EXCLUDED: Record<string, string> = {
  'npm install && npm test': 'this test is part of npm test; running it here would recurse',
  'npm run build && npm link':
    'npm link would install the command for the whole machine; the recloop shim on PATH stands for it, and dist/ is already built by npm start (npm run build is its first step)',
  'npx tslab install --python=python3 --binary="$PWD/node_modules/.bin/tslab"':
    "registers the kernel in the user's Jupyter folders, and needs Python Jupyter; tests/notebooks.test.ts executes the notebooks with the same kernel",
  'jupyter notebook notebooks/': 'starts an interactive Jupyter server; tests/notebooks.test.ts executes the notebooks',
  'recloop import csv my-log.parquet --item item --click clicked --position slot --propensity p --user user --time ts --out output/my-log':
    "my-log.parquet stands for the reader's own log; tests/import-csv.test.ts imports CSV and Parquet files with every option",
};

/** Commands run with extra arguments that shorten them: arms × replicas over weeks take minutes. */
const SHORTENED: Record<string, string> = {
  'recloop compare scenarios/compare-exploration.yaml': ' --set horizon.days=4 --replicas 2',
  'recloop compare scenarios/eps-vs-thompson.yaml': ' --set horizon.days=3 --replicas 1 --set world.users.count=200 --set world.items.count=200',
  'recloop compare scenarios/filter-bubble.yaml': ' --set horizon.days=3 --replicas 1 --set world.users.count=200 --set world.items.count=200',
  'recloop compare scenarios/short-vs-long-term.yaml': ' --set horizon.days=3 --replicas 1 --set world.users.count=200 --set world.items.count=200',
  'recloop compare scenarios/cold-start.yaml': ' --set horizon.days=3 --replicas 1 --set world.users.count=150 --set world.items.count=150',
  'recloop run scenarios/two-stage.yaml --workers 2': ' --set horizon.days=3',
  // One seed of the paper's scale (twelve runs) instead of ten.
  'recloop classic scenarios/classic/chaney2018.yaml': ' --seeds 1',
  // The replays below replay this run, so they are short too.
  'recloop run scenarios/filter-bubble.yaml --logs --out output/bubble': ' --set horizon.days=3 --set world.users.count=150 --set world.items.count=150',
  'recloop run scenarios/filter-bubble.yaml --logs --out output/bubble-2 --seed 2': ' --set horizon.days=3 --set world.users.count=150 --set world.items.count=150',
  // npm passes what follows `--` on to `recloop compare`: the quickstart's three arms and two replicas, 3 days of 200 users.
  'npm install && npm start': ' -- --set horizon.days=3 --set world.users.count=200 --set world.items.count=200',
};

/** Commands run in another form, and why. */
const REWRITTEN: Record<string, { readonly as: string; readonly why: string }> = {
  'npm install && npm start': { as: 'npm start', why: 'the link to node_modules stands for npm install' },
  'recloop compare scenarios/compare-linear-ts.yaml': {
    as: 'recloop validate scenarios/compare-linear-ts.yaml',
    why: 'it trains the two-stage ranker for every arm and replica, minutes even when shortened; tests/experiment-cli.test.ts runs compare',
  },
};

/** What a command must leave behind, beyond exiting 0 (paths relative to the scratch copy). */
const WRITES: Record<string, string[]> = {
  'npm install && npm start': [
    'dist/cli/main.js',
    'output/quickstart-compare/report.html',
    'output/quickstart-compare/comparison.json',
    'output/quickstart-compare/arms/thompson/seed-42/metrics.jsonl',
  ],
  'recloop run scenarios/popularity.yaml --out output/try1 --seed 2 --set horizon.days=10': ['output/try1/summary.json'],
  'recloop run scenarios/popularity.yaml --out output/try2 --set horizon.days=10 --set recommender.kind=random --no-logs': ['output/try2/summary.json'],
  'recloop run scenarios/popularity.yaml': ['output/popularity/report.html', 'output/popularity/impressions/epoch-00029.parquet'],
  'recloop init': ['my-scenario.yaml'],
  'recloop classic scenarios/classic/chaney2018.yaml': ['output/chaney2018/results.json', 'output/chaney2018/table.txt'],
  // Split by users over two threads, the second one running the compiled shard thread (dist/parallel/shard-worker.js).
  'recloop run scenarios/two-stage.yaml --workers 2': ['output/two-stage/summary.json', 'output/two-stage/run.json'],
  'recloop compare scenarios/compare-exploration.yaml': ['output/compare-exploration-compare/comparison.json'],
  'recloop import obd data/open-bandit-dataset/random/men --out output/obd-random': ['output/obd-random/impressions/log.parquet'],
  'recloop ope-log output/obd-random --target bernoulli_thompson --priors data/open-bandit-dataset/prior_bts.yaml --campaign men --truth output/obd-bts': ['output/obd-random-ope-bernoulli_thompson/ope-log.json'],
  'recloop fit output/obd-random --out output/obd-world': ['output/obd-world/fitted-world.json', 'output/obd-world/scenario.yaml'],
  'recloop fit-check output/obd-world --policy bernoulli_thompson --priors data/open-bandit-dataset/prior_bts.yaml --campaign men --truth output/obd-bts': [
    'output/obd-world-check-bernoulli_thompson/fit-check.json',
  ],
  'recloop report output/obd-random-ope-bernoulli_thompson': ['output/obd-random-ope-bernoulli_thompson/report.html', 'output/obd-random-ope-bernoulli_thompson/charts/ope.svg'],
  'recloop report output/obd-world-check-bernoulli_thompson': [
    'output/obd-world-check-bernoulli_thompson/report.html',
    'output/obd-world-check-bernoulli_thompson/charts/fit-check-exposure.svg',
  ],
  'recloop replay output/bubble': ['output/bubble-replay/replay.json', 'output/bubble-replay/report.html', 'output/bubble-replay/widened/seed-21/metrics.jsonl'],
  'recloop replay output/bubble output/bubble-2 --out output/bubble-two-seeds': ['output/bubble-two-seeds/replayed/seed-2/metrics.jsonl'],
  'recloop replay output/bubble --add "{source: topic_spread, k: 40}" --out output/bubble-spread40': ['output/bubble-spread40/replay.json'],
  'recloop ope scenarios/ope-random-to-popularity.yaml': ['output/ope-random-to-popularity-ope/ope.json'],
  'recloop sweep scenarios/popularity.yaml --grid recommender.slate_size=5,10 --grid recommender.window=1,3 --seeds 2 --set horizon.days=3': [
    'output/popularity-sweep/comparison.json',
    'output/popularity-sweep/arms/recommender.slate_size=10,recommender.window=3/seed-8/summary.json',
  ],
  'recloop merge output/slices/0 output/slices/1 --out output/popularity-merged': ['output/popularity-merged/comparison.json', 'output/popularity-merged/report.html'],
  'recloop run examples/plugins/source.yaml --out output/plugin-source': ['output/plugin-source/summary.json'],
  'recloop run examples/plugins/policy.yaml --out output/plugin-policy': ['output/plugin-policy/summary.json'],
  'recloop run examples/plugins/user-model.yaml --out output/plugin-user-model': ['output/plugin-user-model/summary.json'],
  'recloop run examples/plugins/recommender.yaml --out output/plugin-recommender': ['output/plugin-recommender/summary.json'],
};

/** What a command must print (stdout and stderr together), where the README says what it shows. */
const PRINTS: Record<string, RegExp> = {
  // The comparison's table, then the report written from it.
  'npm install && npm start': /^twin_worlds, 2 replicas, control greedy;[\s\S]*^report: \d+ charts → output\/quickstart-compare\/report\.html/m,
  // The replay's table of gaps.
  'recloop replay output/bubble': /served again by its design[\s\S]*^ {2}user_topic_entropy_p10 /m,
  'recloop replay output/bubble output/bubble-2 --out output/bubble-two-seeds': /2 runs \(seeds 21, 2\)[\s\S]*95% interval over the runs/,
  // The popularity run's headline table: coverage collapses onto a few items.
  'recloop run scenarios/popularity.yaml': /^catalog_coverage\s+(1\.000|0\.99\d) → 0\.0\d+$/m,
  'recloop run scenarios/popularity.yaml --out output/try2 --set horizon.days=10 --set recommender.kind=random --no-logs':
    /note: --set recommender\.kind=random: .*recommender\.window \(line \d+\) dropped/,
  'recloop validate scenarios/popularity.yaml --print': /^ {2}window: 3$/m,
  // The study's table, the ideal named as the oracle it is.
  'recloop classic scenarios/classic/chaney2018.yaml': /^ideal \(oracle\)\s+repeated\s+\+0\.000\s/m,
  // The shipped command (node dist/cli/main.js) loads the TypeScript plug-in.
  'recloop run examples/plugins/metric.yaml --out output/plugin-metric': /^top_click_share\s+[\d.]+ → [\d.]+$/m,
};

/** The commands of the README's ```sh blocks in order: comments dropped, `\` continuations joined. */
function readmeCommands(readme: string): string[] {
  const commands: string[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const text = block[1].replace(/\\\n\s*/g, '');
    for (const line of text.split('\n')) {
      const command = line.replace(/(^|\s+)#.*$/, '').trim();
      if (command !== '') commands.push(command);
    }
  }
  return commands;
}

const commands = readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const scratchParent = tempDir('recloop-readme-');
const scratch = join(scratchParent, 'recloop');
const shims = join(scratchParent, 'bin');
const ran = new Set<string>();

function prepareScratch(): void {
  if (existsSync(scratch)) return;
  mkdirSync(scratch, { recursive: true });
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(scratch, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  mkdirSync(shims);
  const shim = join(shims, 'recloop');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(scratch, 'dist', 'cli', 'main.js')}" "$@"\n`);
  chmodSync(shim, 0o755);
  // A repository, so that the end can check the commands left the checkout clean.
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=recloop', '-c', 'user.email=recloop@localhost', 'commit', '-q', '-m', 'fresh copy');
}

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: scratch, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}${result.error?.message ?? ''}`);
  return result.stdout;
}

function run(command: string, input?: string): { status: number | null; output: string } {
  const result = spawnSync('bash', ['-c', command], {
    cwd: scratch,
    input,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${shims}:${process.env.PATH ?? ''}`, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}

afterAll(() => rmSync(scratchParent, { recursive: true, force: true }));

describe("the README's commands, in order, from a fresh copy", () => {
  it('lists the commands this test knows how to check', () => {
    expect(commands.length).toBeGreaterThan(15);
    for (const listed of [...Object.keys(EXCLUDED), ...Object.keys(SHORTENED), ...Object.keys(REWRITTEN)]) expect(commands, listed).toContain(listed);
    const benches = commands.filter((c) => c === 'npm run bench' || c.startsWith('npm run bench:') || c.startsWith('npx tsx bench/'));
    expect(benches.length).toBeGreaterThan(5);
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const bench of benches) {
      if (bench.startsWith('npm run ')) expect(scripts, bench).toHaveProperty(bench.split(' ')[2]);
      else expect(existsSync(join(ROOT, bench.split(' ')[2])), bench).toBe(true);
    }
  });

  for (const command of commands) {
    if (command in EXCLUDED || command === 'npm run bench' || command.startsWith('npm run bench:') || command.startsWith('npx tsx bench/')) continue;
    const actual = (REWRITTEN[command]?.as ?? command) + (SHORTENED[command] ?? '');
    it(actual, { timeout: 600_000 }, () => {
      prepareScratch();
      // A command shown twice runs once: the second finds what the first wrote.
      if (ran.has(actual)) return;
      ran.add(actual);
      // `recloop init` asks its questions on the terminal; the user presses Enter at each one.
      const input = command === 'recloop init' ? '\n'.repeat(QUESTIONS.length) : undefined;
      const { status, output } = run(actual, input);
      expect(status, `${actual}\n${output}`).toBe(0);
      for (const file of WRITES[command] ?? []) expect(existsSync(join(scratch, file)), file).toBe(true);
      if (command in PRINTS) expect(output).toMatch(PRINTS[command]);
    });
  }

  it('leaves the checkout clean: what they write is ignored, nothing tracked changes', () => {
    prepareScratch();
    expect(git('status', '--porcelain')).toBe('');
  });
});
