/**
 * `--set` that switches a kind (recommender.kind, exploration.policy): the file's settings that
 * only the old kind has are dropped with a note, as for an experiment arm of another kind; the
 * shared ones stay, and a key the user set on the command line is still checked.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../src/scenario/index.js';
import { cli } from './support/run-cli.js';

const POPULARITY = `name: t
horizon: { days: 3 }
recommender:
  kind: popularity
  slate_size: 5
  window: 3d
  exclude_seen: false
  exploration: { policy: epsilon_greedy, epsilon: 0.2 }
`;

function load(overrides: string[]): { scenario: ReturnType<typeof parseScenario>; notes: string[] } {
  const notes: string[] = [];
  const scenario = parseScenario(POPULARITY, 'pop.yaml', overrides, { onNote: (note) => notes.push(note) });
  return { scenario, notes };
}

describe('--set of another kind', () => {
  it('drops the settings only the old kind has, keeps the shared ones, and says which', () => {
    const { scenario, notes } = load(['recommender.kind=random']);
    expect(scenario.recommender).toMatchObject({ kind: 'random', slate_size: 5, exploration: { policy: 'epsilon_greedy', epsilon: 0.2 } });
    expect(scenario.recommender).not.toHaveProperty('window');
    expect(notes).toEqual(["--set recommender.kind=random: pop.yaml's recommender.window (line 6), exclude_seen (line 7) dropped (only kind popularity has them)"]);
  });

  it('does the same for a nested kind (the exploration policy)', () => {
    const { scenario, notes } = load(['recommender.exploration.policy=thompson']);
    expect(scenario.recommender.kind).toBe('popularity');
    expect(scenario.recommender.exploration.policy).toBe('thompson');
    expect(scenario.recommender.exploration).not.toHaveProperty('epsilon');
    expect(notes).toEqual([expect.stringContaining('recommender.exploration.epsilon (line 8) dropped (only policy epsilon_greedy has it)')]);
  });

  it('changes nothing, and says nothing, when the kind stays the same', () => {
    const { scenario, notes } = load(['recommender.kind=popularity']);
    expect(scenario.recommender).toMatchObject({ kind: 'popularity', window: 3, exclude_seen: false });
    expect(notes).toEqual([]);
  });

  it('still rejects a setting of the old kind given on the command line, naming the --set', () => {
    expect(() => load(['recommender.window=5d', 'recommender.kind=random'])).toThrow(ScenarioError);
    expect(() => load(['recommender.window=5d', 'recommender.kind=random'])).toThrow(/--set recommender\.window: unknown key "window"/);
  });

  it('works on the popularity scenario from the command line, with the note on stderr', async () => {
    const { code, out, err } = await cli(['validate', 'scenarios/popularity.yaml', '--set', 'recommender.kind=random', '--print']);
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}kind: random$/m);
    expect(err).toBe("note: --set recommender.kind=random: scenarios/popularity.yaml's recommender.window (line 35) dropped (only kind popularity has it)\n");
  });
});
