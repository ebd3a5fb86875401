/**
 * Cross-field checks of a bandit-world scenario. Its arms pay one Bernoulli reward, logged as a
 * click; every current arm is a candidate, one is pulled per round, and there is no pipeline
 * to add candidates to, so some exploration settings have no meaning there.
 */
import type { ConsistencyProblem } from './consistency.js';
import type { BanditScenario } from './schema.js';

const EXPLORATION = ['recommender', 'exploration'] as const;

export function checkBandit(scenario: BanditScenario): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = [];
  const { recommender, world } = scenario;
  const exploration = recommender.exploration;
  const at = (...path: string[]) => [...EXPLORATION, ...path];

  if (recommender.slate_size !== 1) {
    problems.push({ paths: [['recommender', 'slate_size']], message: 'a bandit world pulls one arm per round; set recommender.slate_size to 1 (its default there)' });
  }
  if (recommender.random_startup > 0) {
    problems.push({ paths: [['recommender', 'random_startup']], message: 'a bandit world has no start-up period; remove recommender.random_startup' });
  }
  if ('stage' in exploration && exploration.stage === 'candidate') {
    problems.push({ paths: [at('stage')], message: 'a bandit world has no candidate stage (every current arm is a candidate); use stage: slate' });
  }
  if ('update' in exploration && exploration.update === 'retrain') {
    problems.push({ paths: [at('update')], message: 'a bandit world learns from every pull and never retrains; use update: online (its default there) or remove update' });
  }
  if (exploration.policy === 'epsilon_greedy' && exploration.over === 'catalog') {
    problems.push({ paths: [at('over')], message: 'in a bandit world the candidates are every current arm; use over: candidates' });
  }
  if ('reward' in exploration && exploration.reward !== 'click') {
    problems.push({ paths: [at('reward')], message: `a bandit arm pays one Bernoulli reward, logged as a click; use reward: click (found ${exploration.reward})` });
  }
  const logistic = !Array.isArray(world.arms) && 'logistic' in world.arms.means;
  if (exploration.policy === 'linear_thompson' && !logistic) {
    problems.push({
      paths: [at('policy'), ['world', 'arms']],
      message: 'linear_thompson needs arm features: set world.arms to { count: 10, means: { logistic: { dim: 8 } } } (means from a hidden model of public features)',
    });
  }
  if (exploration.policy === 'linear_thompson' && exploration.features !== undefined) {
    problems.push({ paths: [at('features')], message: "in a bandit world linear_thompson regresses on the arms' public features; remove recommender.exploration.features" });
  }
  const replacement = world.replacement;
  if (replacement !== undefined) {
    const count = Array.isArray(world.arms) ? world.arms.length : world.arms.count;
    if (replacement.count > count) {
      problems.push({ paths: [['world', 'replacement', 'count']], message: `cannot replace ${replacement.count} arms when there are ${count}` });
    }
    if (replacement.means !== undefined && ('logistic' in replacement.means || logistic)) {
      problems.push({
        paths: [['world', 'replacement', 'means']],
        message: 'with logistic arm means, new arms come from the same hidden model; remove world.replacement.means',
      });
    }
  }
  if (scenario.experiment !== undefined) {
    problems.push({ paths: [['experiment']], message: 'experiment arms are not supported in a bandit world; run each policy with --set recommender.exploration.policy=...' });
  }
  if (scenario.ope !== undefined) {
    problems.push({ paths: [['ope']], message: 'off-policy evaluation is not supported in a bandit world' });
  }
  return problems;
}
