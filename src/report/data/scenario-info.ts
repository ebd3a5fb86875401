/**
 * What the report reads from the resolved scenario YAML: name, description and the latency
 * budget per pipeline stage (`recommender.latency_budget_ms: { retrieval: 10, ranking: 50 }`),
 * a plain number being the whole request's (`total`), the recommender's kind and the metrics of
 * a sweep's frontier (`report.frontier`).
 * The YAML is read loosely on purpose: a report of an old run must not fail because the
 * schema moved on since.
 */
import { parse } from 'yaml';
import { parseDuration } from '../../settings/duration.js';

export interface ScenarioInfo {
  readonly name?: string;
  readonly description?: string;
  readonly latencyBudgetMs: Readonly<Record<string, number>>;
  readonly recommenderKind?: string;
  /** Days of uniformly random slates before the recommender takes over (`recommender.random_startup`). */
  readonly randomStartupDays?: number;
  /** The metrics a sweep's trade-off frontier plots (`report.frontier: { x, y }`), when the scenario names them. */
  readonly frontier?: { readonly x: string; readonly y: string };
}

export function scenarioInfo(yamlText: string | undefined): ScenarioInfo {
  if (yamlText === undefined) return { latencyBudgetMs: {} };
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch {
    return { latencyBudgetMs: {} };
  }
  const root = asRecord(doc);
  const recommender = asRecord(root?.recommender);
  const written = recommender?.latency_budget_ms ?? root?.latency_budget_ms;
  const budget = typeof written === 'number' ? { total: written } : (asRecord(written) ?? {});
  const latencyBudgetMs: Record<string, number> = {};
  for (const [stage, ms] of Object.entries(budget)) if (typeof ms === 'number' && ms > 0) latencyBudgetMs[stage] = ms;
  return {
    name: typeof root?.name === 'string' ? root.name : undefined,
    description: typeof root?.description === 'string' ? root.description.trim() : undefined,
    latencyBudgetMs,
    recommenderKind: typeof recommender?.kind === 'string' ? recommender.kind : undefined,
    randomStartupDays: durationOf(recommender?.random_startup),
    frontier: frontierOf(asRecord(asRecord(root?.report)?.frontier)),
  };
}

function frontierOf(frontier: Record<string, unknown> | undefined): ScenarioInfo['frontier'] {
  const { x, y } = frontier ?? {};
  return typeof x === 'string' && typeof y === 'string' ? { x, y } : undefined;
}

function durationOf(value: unknown): number | undefined {
  return typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
