/**
 * What a plug-in file imports: the declaration helpers the built-in components use, the zod
 * they declare settings with, the field types of the scenario, and the types of what they
 * build. From the package: `import { candidateSource, z } from 'recloop/plugins'`; inside this
 * repository (examples/plugins), by its path.
 */
import { z } from 'zod';
import { POPULATION_FIELDS } from '../world/user-models/registry.js';
import type { UserModelContext, UserModelEntry } from '../world/user-models/user-model-entry.js';
import type { UserModel } from '../world/user-model.js';

export { z };
export { count, duration, positive, positiveCount, positiveDuration, probability, rate } from '../settings/fields.js';

// Recommenders (`recommender: { kind: module, path }`). The context's oracleTruth throws for a
// plug-in: only the built-in oracle is given the world's truth.
export { recommenderKind, type RecommenderBuildContext, type RecommenderComponent } from '../recommender/component.js';
export type { Recommender, RecommenderContext, RecommenderDiagnostics, Slate } from '../recommender/types.js';
export type { Device, PublicCatalog, PublicItem, PublicUser, PublicUsers } from '../world/public.js';

// Candidate sources (`recommender.candidates: [{ source: module, path }]`).
export { candidateSource, type CandidateSourceComponent, type SourceContext } from '../recommender/sources/component.js';
export type { Candidate, CandidateSource, CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback, SlotDistribution } from '../recommender/types.js';
export type { TrainingLog } from '../training/training-log.js';

// Exploration policies (`recommender.exploration: { policy: module, path }`).
export { explorationPolicy, slateStage, type Exploration, type ExplorationComponent, type ExplorationContext } from '../recommender/explore/component.js';
export type { Rng } from '../rng/index.js';

// Metric families (`metrics.plugins: [{ family: module, path }]`).
export { metricFamily, type MetricDeclarations, type MetricFamily, type MetricRow } from '../metrics/declaration.js';
export type { EpochBounds, Metric, SimEvent, WorldView } from '../metrics/types.js';

// User models (`world.users: { kind: module, path }`).
export type { FollowUp, SessionEnding, SlateOutcome, UserModel } from '../world/user-model.js';
export type { UserModelContext, UserModelEntry } from '../world/user-models/user-model-entry.js';
export { SatisfactionUserModel, satisfactionUsers } from '../world/user-models/satisfaction.js';

type PopulationFields = typeof POPULATION_FIELDS;

/** A user model's settings as its build reads them: the population's fields (count, sign-ups, countries) and its own. */
export type UserModelSettings<Shape extends z.core.$ZodLooseShape> = z.output<z.ZodObject<PopulationFields & Shape>>;

/**
 * Declares a user model in a plug-in file: its name, its own `world.users` fields, and how to
 * build it, given the world's parts and its settings read from `world.users`.
 */
export function userModel<const Name extends string, Shape extends z.core.$ZodLooseShape>(spec: {
  readonly name: Name;
  readonly fields: Shape;
  readonly build: (context: UserModelContext, settings: UserModelSettings<Shape>) => UserModel;
}): UserModelEntry<Name, Shape> {
  const settings = z.object({ ...POPULATION_FIELDS, ...spec.fields });
  return { name: spec.name, fields: spec.fields, build: (context) => spec.build(context, settings.parse(context.config.users)) };
}
