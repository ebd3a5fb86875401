/** Off-policy evaluation: target policies, slate logs, reward models, estimators, the twin-world check. */
export type { OpeContext, SlotDistribution, TargetPolicy } from './types.js';
export { REWARDS, rewardOf, type Reward } from '../training/rewards.js';
export { slotProbability, slotExpectation } from './slot.js';
export { type Ranking, ScoreRanking, topK } from './policies/ranking.js';
export { PopularityRanking } from './policies/popularity-ranking.js';
export { UniformPolicy } from './policies/uniform.js';
export { GreedyTargetPolicy } from './policies/greedy.js';
export { EpsilonGreedyTargetPolicy } from './policies/epsilon-greedy.js';
export { type SlateLog, SlateLogBuilder, slateLogFromImpressions, type FromImpressionsOptions } from './slate-log.js';
export { type RewardModel, FactorisedRewardModel, type FactorisedFitOptions } from './reward-model.js';
export {
  ESTIMATORS,
  type EstimatorName,
  type PointEstimates,
  type PreparedOpe,
  type WeighedLog,
  weighLog,
  applyModel,
  type Estimate,
  type EstimateOptions,
  type OpeEstimates,
  type WeightDiagnostics,
  prepareOpe,
  pointEstimates,
  estimatePolicyValue,
  estimateWeighedValue,
  weightDiagnostics,
} from './estimators.js';
export { resampleCounts, quantileSorted, percentileInterval } from './bootstrap.js';
export { SyntheticSlateBandit, type SyntheticBanditOptions } from './synthetic.js';
export { expectedClicks, slotwiseClicks } from './world-truth.js';
export { PolicyRecommender, servePolicy, contextOf } from './policy-recommender.js';
export { buildOpePolicy, describePolicy, type BuiltPolicy } from './policy-factory.js';
export { OpeArm, type OpeArmOptions, type ProbeTotals } from './arm.js';
export { opeSection, opePolicy, opeConfigOf, type OpeConfig, type OpePolicyConfig } from '../scenario/ope-schema.js';
export { evaluateOffPolicy, OpeSettingsError, type OpeReport, type EstimatorRow } from './run-ope.js';
export { formatOpeTable, writeOpeRun, OPE_FILES } from './report.js';
export { SlateLogitModel, type LogitFitOptions } from './slate/logit-choice-model.js';
export {
  SLATE_ESTIMATORS,
  type SlateEstimatorName,
  type LoggingDesign,
  type SlateEstimateOptions,
  type SlateEstimates,
  estimateSlateValue,
  targetSlateProbability,
  uniformSlateProbability,
} from './slate/slate-estimators.js';
