import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputEndedError, OBJECTIVES, RECOMMENDER_KINDS, SURFACES, complete, initScenario, renderScenario } from '../src/init/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import { parseScenario, type Scenario } from '../src/scenario/index.js';
import { Capture, cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

type TwoStage = Extract<Scenario['recommender'], { kind: 'two_stage' }>;

function twoStage(scenario: Scenario): TwoStage {
  if (scenario.recommender.kind !== 'two_stage') throw new Error(`expected two_stage, got ${scenario.recommender.kind}`);
  return scenario.recommender;
}

/** An input stream that has already received these lines (and then ends), like a piped script. */
function typed(lines: readonly string[]): PassThrough {
  const input = new PassThrough();
  input.end(lines.map((line) => `${line}\n`).join(''));
  return input;
}

describe('recloop init with flags', () => {
  it('writes a commented scenario that validates and carries every answer', async () => {
    const file = join(tempDir('recloop-init-'), 'review.yaml');
    const { code, out, err } = await cli([
      'init', '--surface', 'home_feed', '--objective', 'satisfaction', '--signals', 'click,watch,survey',
      '--users', '20k', '--items', '50,000', '--days', '60', '--cold-start', 'random_startup,fresh',
      '--startup-days', '3', '--latency-budget-ms', '80', '--out', file, '--yes',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    const scenario = parseScenario(text, file);
    expect(scenario.name).toBe('review'); // named after the file when --name is not given
    expect(scenario.horizon.days).toBe(60);
    expect(scenario.world.users.count).toBe(20_000);
    expect(scenario.world.users.signups_per_day).toBe(200);
    expect(scenario.world.items.count).toBe(50_000);
    expect(scenario.world.choice.model).toBe('mnl');
    const recommender = twoStage(scenario);
    expect(recommender.slate_size).toBe(10);
    expect(recommender.random_startup).toBe(3);
    expect(recommender.candidates.map((c) => c.source)).toEqual(['two_tower', 'popularity', 'fresh']);
    expect(recommender.ranker.heads).toEqual(['click', 'watch', 'survey']);
    expect(recommender.score).toBe('0.17*click + 0.33*watch + 0.5*survey');
    // The latency budget is a setting: the whole request's, which the report draws against the measured latency.
    expect(recommender.latency_budget_ms).toBe(80);
    expect(text).toMatch(/^ {2}latency_budget_ms: 80 +# /m);
    // Comments say where each choice comes from.
    expect(text).toMatch(/^# {3}objective {7}satisfaction$/m);
    expect(text).toMatch(/score: .*# the signals closest to what users value/);
  });

  it('writes a popularity scenario for search that runs', async () => {
    const dir = tempDir('recloop-init-');
    const file = join(dir, 'search.yaml');
    const { code, err } = await cli(['init', '--surface', 'search', '--recommender', 'popularity', '--users', '200', '--items', '300', '--days', '2', '--name', 'search-baseline', '--out', file, '--yes']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const scenario = parseScenario(readFileSync(file, 'utf8'), file);
    expect(scenario.name).toBe('search-baseline');
    expect(scenario.recommender.kind).toBe('popularity');
    expect(scenario.world.choice.model).toBe('cascade');
    expect(scenario.recommender.random_startup).toBe(2);
    expect(scenario.recommender.latency_budget_ms).toBe(100); // the default answer
    const outcome = await runScenario(scenario, { outDir: join(dir, 'run') });
    expect(outcome.summary.epochs).toBe(2);
    expect(outcome.summary.totals.impressions).toBeGreaterThan(0);
  });

  // parseScenario also checks the score formula names only heads the ranker trains.
  it('every surface, objective and recommender gives a valid file', () => {
    for (const surface of SURFACES) {
      for (const objective of OBJECTIVES) {
        for (const recommender of RECOMMENDER_KINDS) {
          const answers = complete({ surface, objective, recommender });
          const scenario = parseScenario(renderScenario(answers), `${surface}-${objective}-${recommender}.yaml`);
          expect(scenario.recommender.kind).toBe(recommender);
        }
      }
    }
  });

  it('refuses answers that cannot work together, naming the flag', async () => {
    const dir = tempDir('recloop-init-');
    const cases: [string[], string][] = [
      [['--objective', 'watch_time', '--signals', 'click,like'], '--signals: objective watch_time needs watch'],
      [['--recommender', 'popularity', '--cold-start', 'fresh'], '--cold-start: fresh is a candidate source of the two_stage recommender'],
      [['--users', 'lots'], '--users: "lots" is not a whole number'],
      [['--surface', 'inbox'], '--surface: "inbox" is not one of: home_feed, related_items, search'],
      [['--cold-start', 'none,fresh'], '--cold-start: none cannot be combined'],
      [['--days', '0.5'], '--days: 0.5 days is shorter than one retrain'],
      [['--items', '5'], '--items: "5" is not a whole number of 20 or more'],
    ];
    for (const [flags, message] of cases) {
      const file = join(dir, 'x.yaml');
      const result = await cli(['init', ...flags, '--out', file, '--yes']);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.err).toContain(message);
      expect(result.err).not.toMatch(/\n\s+at /);
      expect(existsSync(file)).toBe(false);
    }
    // Without --objective, the default objective follows the signals instead of clashing with them.
    const file = join(dir, 'likes.yaml');
    expect((await cli(['init', '--signals', 'click,like', '--out', file, '--yes'])).code).toBe(0);
    expect(twoStage(parseScenario(readFileSync(file, 'utf8'), file)).score).toBe('0.33*click + 0.67*like');
  });

  it('never overwrites an existing file without --force', async () => {
    const file = join(tempDir('recloop-init-'), 'mine.yaml');
    writeFileSync(file, 'my own notes\n');
    const refused = await cli(['init', '--out', file, '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`${file} already exists; pass --force to replace it or --out to write elsewhere\n`);
    expect(readFileSync(file, 'utf8')).toBe('my own notes\n');
    expect((await cli(['init', '--out', file, '--yes', '--force'])).code).toBe(0);
    expect(parseScenario(readFileSync(file, 'utf8'), file).name).toBe('mine');
  });

  it('--out naming a folder is refused, with or without --force, and the folder is left alone', async () => {
    const dir = tempDir('recloop-init-');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    for (const force of [[], ['--force']]) {
      const refused = await cli(['init', '--out', dir, '--yes', ...force]);
      expect(refused.code).toBe(2);
      expect(refused.err).toBe(`${dir} is a folder; --out names the scenario file to write, e.g. --out ${join(dir, 'scenario.yaml')}\n`);
    }
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe('recloop init, interactive', () => {
  it('asks the questions the flags left open, re-asks after a wrong answer, and takes Enter as the default', async () => {
    const dir = tempDir('recloop-init-');
    const file = join(dir, 'asked.yaml');
    const output = new Capture();
    const input = typed([
      'related', //        surface: an unambiguous start of related_items
      'satisfaction', //   objective
      'click,watch', //    signals: satisfaction needs survey, like or completion...
      'click,completion', // ...so it is asked again
      // users: given as a flag, not asked
      'lots', //           items: not a number, asked again
      '2k',
      '', //               days: the default
      '', //               recommender: the default (two_stage)
      'content', //        cold start: no random start-up, so its days are not asked
      '120', //            latency budget
    ]);
    const result = await initScenario({ given: { users: '1500' }, out: file, ask: { input, output } });
    expect(result.file).toBe(file);
    const scenario = parseScenario(readFileSync(file, 'utf8'), file);
    expect(scenario.name).toBe('asked');
    expect(scenario.world.users.count).toBe(1500);
    expect(scenario.world.items.count).toBe(2000);
    expect(scenario.horizon.days).toBe(30);
    const recommender = twoStage(scenario);
    expect(recommender.slate_size).toBe(6);
    expect(recommender.random_startup).toBe(0);
    expect(recommender.ranker.heads).toEqual(['click', 'complete']);
    expect(recommender.candidates.map((c) => c.source)).toEqual(['content', 'two_tower', 'popularity']);
    expect(recommender.latency_budget_ms).toBe(120);

    const said = output.text;
    expect(said).toContain('objective satisfaction needs one of survey, like, completion');
    expect(said).toContain('"lots" is not a whole number');
    expect(said).not.toContain('How many users');
    expect(said).not.toContain('Days of random start-up');
    expect(said).toContain('> [30] ');
  });

  it('stops with a clear error, writing nothing, when the input ends early', async () => {
    const file = join(tempDir('recloop-init-'), 'short.yaml');
    const attempt = initScenario({ given: {}, out: file, ask: { input: typed(['home_feed']), output: new Capture() } });
    await expect(attempt).rejects.toThrow(InputEndedError);
    await expect(attempt).rejects.toThrow('pass --yes to take the defaults');
    expect(existsSync(file)).toBe(false);
  });
});
