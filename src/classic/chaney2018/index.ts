/** Chaney, Stewart and Engelhardt (2018), "How algorithmic confounding in recommendation systems increases homogeneity and decreases utility", reproduced. */
export { chaneySchema, RECOMMENDER_NAMES, TRAINING_MODES } from './config.js';
export type { ChaneyConfig, RecommenderName, TrainingMode } from './config.js';
export { loadChaneyStudy, parseChaneyStudy, withSeedCount } from './load.js';
export { drawWorld, type ChaneyWorld } from './world.js';
export { simulateRun, type RunOutcome } from './simulate.js';
export { runStudy, type StudyResult, type SummaryRow, type SeedResult } from './study.js';
export { formatStudyTable } from './table.js';
export { writeStudy, STUDY_FILES } from './output.js';
