/**
 * A population scenario that cannot show anything: no items and none uploaded, nobody and
 * nobody signing up, slates longer than a catalog that never grows, or creators who join but
 * can never upload. Each would run to the end and print zeros or short slates; here it is a
 * validation error that says why.
 */
import type { ConsistencyProblem, KeyPath } from '../settings/problem.js';
import type { Scenario } from './schema.js';

const ITEMS: KeyPath = ['world', 'items', 'count'];
const UPLOADS: KeyPath = ['world', 'items', 'uploads_per_day'];
const USERS: KeyPath = ['world', 'users', 'count'];
const SIGNUPS: KeyPath = ['world', 'users', 'signups_per_day'];
const SLATE: KeyPath = ['recommender', 'slate_size'];
const NEW_CREATORS: KeyPath = ['world', 'items', 'new_creators_per_day'];

export function checkAudience(scenario: Scenario): ConsistencyProblem[] {
  const { items, users } = scenario.world;
  const slate = scenario.recommender.slate_size;
  const problems: ConsistencyProblem[] = [];
  if (items.count === 0 && items.uploads_per_day === 0) {
    problems.push({
      paths: [ITEMS, UPLOADS],
      message: 'world.items.count is 0 and world.items.uploads_per_day is 0, so there is nothing to show; give the catalog items (world.items.count) or uploads (world.items.uploads_per_day)',
    });
  } else if (items.uploads_per_day === 0 && slate > items.count) {
    problems.push({
      paths: [SLATE, ITEMS],
      message:
        `recommender.slate_size (${slate}) is larger than the catalog (world.items.count: ${items.count}), which never grows (world.items.uploads_per_day is 0), ` +
        `so every slate would be short; set recommender.slate_size to at most ${items.count}, or add items or uploads`,
    });
  }
  if (items.new_creators_per_day > 0 && items.uploads_per_day === 0) {
    problems.push({
      paths: [NEW_CREATORS, UPLOADS],
      message:
        `world.items.new_creators_per_day is ${items.new_creators_per_day} but world.items.uploads_per_day is 0, so the creators who join never upload anything to show; ` +
        'give the world uploads (world.items.uploads_per_day) or set new_creators_per_day to 0',
    });
  }
  if (users.count === 0 && users.signups_per_day === 0) {
    problems.push({
      paths: [USERS, SIGNUPS],
      message: 'world.users.count is 0 and world.users.signups_per_day is 0, so there is nobody to show anything to; give the world users (world.users.count) or sign-ups (world.users.signups_per_day)',
    });
  }
  return problems;
}
