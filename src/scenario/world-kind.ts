/**
 * The two world kinds ask for different top-level sections: a population world needs a horizon
 * in days; a bandit world runs world.rounds rounds, has no horizon, and its recommender is the
 * exploration policy alone (recommender.kind: bandit). The schema checks this here, and
 * classifyScenario turns the schema's output into the typed Scenario or BanditScenario.
 */
import type { z } from 'zod';
import type { AnyScenario, BanditScenario, ParsedScenario, Scenario } from './schema.js';

type Ctx = z.core.$RefinementCtx<unknown>;

/** Runs on possibly invalid input (the schema calls it even when other fields fail), so it reads defensively. */
export function checkWorldKind(value: unknown, ctx: Ctx): void {
  if (typeof value !== 'object' || value === null) return;
  const { world, horizon, recommender } = value as { world?: unknown; horizon?: unknown; recommender?: unknown };
  const bandit = field(world, 'kind') === 'bandit';
  if (!bandit && horizon === undefined) {
    // Same issue a required key gives, so it reads "missing required key "horizon"".
    ctx.addIssue({ code: 'invalid_type', expected: 'object', input: undefined, path: ['horizon'] });
  }
  if (bandit && horizon !== undefined) {
    ctx.addIssue({ code: 'custom', input: horizon, path: ['horizon'], message: 'a bandit world has no horizon (it runs world.rounds rounds); remove horizon' });
  }
  const kind = field(recommender, 'kind');
  if (bandit && typeof kind === 'string' && kind !== 'bandit') {
    ctx.addIssue({
      code: 'custom',
      input: kind,
      path: ['recommender', 'kind'],
      message: 'expected kind: bandit in a bandit world (the exploration policy alone, without a pipeline)',
    });
  }
}

/** The schema's output as the scenario of its world kind; the schema's checks make the throws unreachable. */
export function classifyScenario(parsed: ParsedScenario): AnyScenario {
  const { world, recommender, horizon } = parsed;
  if (world.kind === 'bandit') {
    if (recommender.kind !== 'bandit' || horizon !== undefined) throw new Error('bandit scenario passed the schema with a horizon or a non-bandit recommender');
    const { horizon: _none, ...rest } = parsed;
    return { ...rest, world, recommender };
  }
  if (horizon === undefined) throw new Error('population scenario passed the schema without a horizon');
  return { ...parsed, world, horizon };
}

export function isBanditScenario(scenario: AnyScenario): scenario is BanditScenario {
  return scenario.world.kind === 'bandit';
}

export function isPopulationScenario(scenario: AnyScenario): scenario is Scenario {
  return scenario.world.kind === 'population';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
