/** `--grid` options and the cells they make: splitting, order, names, and the errors for bad options. */
import { describe, expect, it } from 'vitest';
import { SweepError, gridCells, parseGrid, parseShard, shardJobs, splitValues } from '../src/sweep/index.js';

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SweepError);
    return (error as Error).message;
  }
  throw new Error('expected a SweepError');
};

describe('grid options', () => {
  it('splits values at commas outside brackets and quotes', () => {
    expect(splitValues('0.05, 0.1,0.2')).toEqual(['0.05', '0.1', '0.2']);
    expect(splitValues('[2,2],[5, 1]')).toEqual(['[2,2]', '[5, 1]']);
    expect(splitValues('{ a: 1, b: 2 },"x,y"')).toEqual(['{ a: 1, b: 2 }', '"x,y"']);
    // A score formula's function call keeps its arguments together.
    expect(splitValues('max(click, like),0.5*click')).toEqual(['max(click, like)', '0.5*click']);
  });

  it('makes the cross product, first key slowest, named from the values', () => {
    const cells = gridCells(parseGrid(['recommender.window=1,3', 'world.users.count=200,300']));
    expect(cells.map((c) => c.name)).toEqual([
      'recommender.window=1,world.users.count=200',
      'recommender.window=1,world.users.count=300',
      'recommender.window=3,world.users.count=200',
      'recommender.window=3,world.users.count=300',
    ]);
    expect(cells[1].overrides).toEqual(['recommender.window=1', 'world.users.count=300']);
  });

  it('names the option and what was expected for each bad one', () => {
    expect(message(() => parseGrid([]))).toContain('--grid: a sweep needs at least one');
    expect(message(() => parseGrid(['recommender.window']))).toContain('--grid recommender.window: no "="; expected key.path=value1,value2');
    expect(message(() => parseGrid(['seed=1,2']))).toContain('--grid seed: cannot be swept; a sweep runs every cell with the seeds of --seed and --seeds');
    expect(message(() => parseGrid(['experiment.arms.b.window=1,2']))).toContain('--grid experiment.arms.b.window: cannot be swept');
    expect(message(() => parseGrid(['report.frontier.y=ctr,retention_7d']))).toContain('--grid report.frontier.y: cannot be swept; runs do not read it');
    expect(message(() => parseGrid(['logs.impressions=true,false']))).toContain('--grid logs.impressions: cannot be swept; a sweep writes impression logs for every job with --logs');
    expect(message(() => parseGrid(['a.b=1,1']))).toContain('--grid a.b: the value 1 is given twice');
    expect(message(() => parseGrid(['a.b=1,']))).toContain('--grid a.b: an empty value');
    expect(message(() => parseGrid(['a.b=1', 'a.b=2']))).toContain('--grid a.b: given twice');
    expect(message(() => parseGrid(['a..b=1,2']))).toContain('--grid a..b=1: "a..b" is not a key path');
    expect(message(() => parseGrid(['a.b=x/y']))).toContain('--grid a.b=x/y: a value may not hold /');
    // Every bad option at once, one line each.
    expect(message(() => parseGrid(['seed=1', 'a.b=1,1'])).split('\n')).toHaveLength(2);
  });
});

describe('shards', () => {
  it('deals job k to shard k mod n, every job to exactly one shard', () => {
    expect(shardJobs(7, parseShard('0/3'))).toEqual([0, 3, 6]);
    expect(shardJobs(7, parseShard(' 2 / 3 '))).toEqual([2, 5]);
    expect(shardJobs(2, parseShard('3/4'))).toEqual([]);
    const all = [0, 1, 2].flatMap((i) => shardJobs(7, { index: i, count: 3 })).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a shard that is not i/n with i below n', () => {
    for (const bad of ['2/2', '1', '-1/2', '0/0', 'a/b']) expect(message(() => parseShard(bad))).toContain(`--shard ${bad}: expected i/n`);
  });
});
