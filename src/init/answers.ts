/**
 * The answers `recloop init` collects: the scoping questions a recommender design review
 * starts with. Each list here is the set of accepted answers for one question.
 */

/** Where the slate is shown: it decides slate size, how users scan it and where candidates come from. */
export const SURFACES = ['home_feed', 'related_items', 'search'] as const;
/** What the ranking score should weigh. */
export const OBJECTIVES = ['clicks', 'watch_time', 'satisfaction'] as const;
/** User signals the system logs; each becomes a head of the ranker. */
export const SIGNALS = ['click', 'watch', 'completion', 'like', 'survey'] as const;
/** How new users and new items get seen. */
export const COLD_START_POLICIES = ['random_startup', 'fresh', 'content', 'none'] as const;
/** two_stage is the system under review; popularity is the baseline every review compares against. */
export const RECOMMENDER_KINDS = ['two_stage', 'popularity'] as const;

export type Surface = (typeof SURFACES)[number];
export type Objective = (typeof OBJECTIVES)[number];
export type Signal = (typeof SIGNALS)[number];
export type ColdStartPolicy = (typeof COLD_START_POLICIES)[number];
export type InitRecommenderKind = (typeof RECOMMENDER_KINDS)[number];

export interface InitAnswers {
  readonly name: string;
  readonly surface: Surface;
  readonly objective: Objective;
  readonly signals: readonly Signal[];
  readonly users: number;
  readonly items: number;
  readonly days: number;
  readonly recommender: InitRecommenderKind;
  readonly coldStart: readonly ColdStartPolicy[];
  /** Days of uniformly random slates before the recommender takes over (with random_startup). */
  readonly startupDays: number;
  /** Time allowed to serve one request, end to end. */
  readonly latencyBudgetMs: number;
}
