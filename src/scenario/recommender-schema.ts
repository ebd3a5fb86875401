/**
 * The recommender section of a scenario: one option per `kind`, each declared in its own file
 * with the fields every kind shares added (src/recommender/registry.ts lists them).
 */
export { recommender, RECOMMENDER_KINDS } from '../recommender/registry.js';

/** How the final slate is chosen from the ordered candidates (one option per policy, declared in each policy's file: src/recommender/explore/registry.ts). */
export { exploration } from './exploration-schema.js';

/** One validated entry of `candidates`, discriminated by `source` (each source declares its own: src/recommender/sources/registry.ts). */
export type { CandidateSourceConfig } from '../recommender/sources/registry.js';
