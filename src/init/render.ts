/**
 * The scenario file `recloop init` writes: YAML whose comments say which answer each setting
 * comes from and why, so the file can be read in a design review and edited afterwards. Only
 * what the answers decide is written; `recloop validate <file> --print` shows every default.
 */
import type { InitAnswers } from './answers.js';
import { OBJECTIVE_WHY, SIGNAL_HEAD, scoreFormula } from './objective-score.js';
import { SURFACE_PROFILES } from './surface-profile.js';

/** New users per day and new items per day, as shares of the starting population and catalog. */
const SIGNUP_SHARE = 0.01;
const UPLOAD_SHARE = 0.02;
const ITEMS_PER_CREATOR = 10;
/** How a request's latency budget is split over the pipeline's stages, as a starting point. */
const STAGE_SHARES = { retrieval: 0.2, ranking: 0.6, rerank: 0.2 } as const;

const COMMENT_COLUMN = 44;

export function renderScenario(answers: InitAnswers): string {
  const surface = SURFACE_PROFILES[answers.surface];
  const lines: string[] = [
    `# recloop scenario written by \`recloop init\`. Every setting below can be edited;`,
    `# \`recloop validate <this file> --print\` shows the whole scenario with every default filled in.`,
    '#',
    `#   surface         ${answers.surface}`,
    `#   objective       ${answers.objective}`,
    `#   signals         ${answers.signals.join(', ')}`,
    `#   scale           ${answers.users} users, ${answers.items} items, ${answers.days} days`,
    `#   recommender     ${answers.recommender}`,
    `#   cold start      ${answers.coldStart.map((p) => (p === 'random_startup' ? `random_startup (${answers.startupDays} days)` : p)).join(', ')}`,
    `#   latency budget  ${answers.latencyBudgetMs} ms per request`,
    ...(surface.caveat === undefined ? [] : ['#', ...wrapComment(`Note: ${surface.caveat}.`)]),
    `name: ${JSON.stringify(answers.name)}`,
    `description: ${JSON.stringify(`${surface.title}, objective ${answers.objective.replace('_', ' ')}, ${answers.recommender} recommender`)}`,
    line('seed: 1', 'the same scenario and seed give identical metrics'),
    line(`horizon: { days: ${answers.days} }`, 'simulated days; the recommender retrains once a day'),
    line('schedule: { kind: continuous, batch_window: 1m }', 'requests in the same simulated minute are served together'),
    '',
    'world:',
    '  users:',
    line(`    count: ${answers.users}`, 'population at day 0'),
    line(`    signups_per_day: ${Math.round(answers.users * SIGNUP_SHARE)}`, 'new users: the user side of cold start'),
    '  items:',
    line(`    count: ${answers.items}`, 'catalog at day 0'),
    line(`    uploads_per_day: ${Math.round(answers.items * UPLOAD_SHARE)}`, 'new items: what cold start is about'),
    line(`    creators: ${Math.max(1, Math.round(answers.items / ITEMS_PER_CREATOR))}`),
    line(`  choice: { model: ${surface.choice.model}, position_bias: ${surface.choice.positionBias} }`, surface.choice.why),
    '',
    'recommender:',
    ...(answers.recommender === 'two_stage' ? twoStage(answers) : popularity(answers)),
    ...latencyBudget(answers),
    '',
    line('logs: { impressions: true }', 'Parquet impression log, one file a day: `recloop query` reads it'),
  ];
  return `${lines.join('\n')}\n`;
}

function twoStage(answers: InitAnswers): string[] {
  const surface = SURFACE_PROFILES[answers.surface];
  const sources: string[] = surface.sources.map(({ source, k }) => `{ source: ${source}, k: ${k} }`);
  // Cold-start sources the surface does not already use.
  const added: string[] = [];
  if (answers.coldStart.includes('content') && !surface.sources.some((s) => s.source === 'content')) {
    sources.push('{ source: content, k: 50 }');
    added.push('content');
  }
  if (answers.coldStart.includes('fresh')) {
    sources.push('{ source: fresh, k: 20, max_age: 2d }');
    added.push('fresh');
  }
  const heads = answers.signals.map((signal) => SIGNAL_HEAD[signal]);
  return [
    line('  kind: two_stage', 'candidate sources → multi-task ranker → score → re-rank'),
    line(`  slate_size: ${surface.slateSize}`, surface.title),
    line('  retrain: { every: 1d, window: 14d }', 'daily, on the last two weeks of its own log'),
    startupLine(answers),
    line('  candidates:', added.length === 0 ? surface.sourcesWhy : `${surface.sourcesWhy}; ${added.join(' and ')} for new items`),
    ...sources.map((source) => `    - ${source}`),
    line('  new_users: { popularity_until_sessions: 2 }', 'brand-new users see popular items until they have a history'),
    '  ranker:',
    line(`    heads: [${heads.join(', ')}]`, 'one head per logged signal'),
    line('    cross_rank: 16', 'low-rank cross layers: ~40% less ranker arithmetic, the same quality'),
    line(`  score: ${JSON.stringify(scoreFormula(answers.objective, answers.signals))}`, OBJECTIVE_WHY[answers.objective]),
    line(`  rerank: { creator_cap: ${surface.rerank.creatorCap}, mmr_lambda: ${surface.rerank.mmrLambda} }`, surface.rerank.why),
  ];
}

function popularity(answers: InitAnswers): string[] {
  const surface = SURFACE_PROFILES[answers.surface];
  return [
    line('  kind: popularity', 'the baseline: the most-clicked items of the last days, for everyone'),
    line(`  slate_size: ${surface.slateSize}`, surface.title),
    line('  retrain: { every: 1d, window: 14d }', 'daily, on the last two weeks of its own log'),
    startupLine(answers),
    line('  window: 3d', 'clicks counted over the last three days'),
    `  # Popularity ranks by clicks only: the objective (${answers.objective}) and the signals`,
    `  # (${answers.signals.join(', ')}) shape the score of the two_stage recommender`,
    `  # (recloop init --recommender two_stage).`,
  ];
}

/** The answer is the whole request's budget; a per-stage split is suggested for editing. */
function latencyBudget(answers: InitAnswers): string[] {
  const split = Object.entries(STAGE_SHARES)
    .map(([stage, share]) => `${stage}: ${Math.round(answers.latencyBudgetMs * share * 10) / 10}`)
    .join(', ');
  return [
    line(`  latency_budget_ms: ${answers.latencyBudgetMs}`, 'p95 per request; the report draws it against the measured latency'),
    `  # or per stage, e.g. latency_budget_ms: { ${split} }`,
  ];
}

function startupLine(answers: InitAnswers): string {
  return answers.coldStart.includes('random_startup')
    ? line(`  random_startup: ${answers.startupDays}d`, 'random slates first, so the first retrain has a log not shaped by itself')
    : line('  random_startup: 0d', 'none: the first slates come from an empty log');
}

/** Comment lines of at most about 95 characters. */
function wrapComment(text: string): string[] {
  const out: string[] = [];
  let current = '#';
  for (const word of text.split(' ')) {
    if (current.length + word.length + 1 > 95 && current !== '#') {
      out.push(current);
      current = '#';
    }
    current += ` ${word}`;
  }
  return [...out, current];
}

/** `text` with a comment aligned at COMMENT_COLUMN (or two spaces after a long line). */
function line(text: string, comment?: string): string {
  if (comment === undefined) return text;
  return `${text.padEnd(Math.max(COMMENT_COLUMN, text.length + 2))}# ${comment}`;
}
