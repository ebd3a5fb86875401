/**
 * A user model of your own: today's users (the built-in satisfaction model, with all its
 * settings), except that a session ends after `slates_per_session` slates whatever happens.
 * A user model is on the world's side: it may read the truth (items' true features) that no
 * recommender sees. Used from a scenario as
 *   world.users: { kind: module, path: ./my-user-model.ts, count: 300, slates_per_session: 1 }
 * Outside this repository, import from 'recloop/plugins' instead of the relative path.
 */
import { positiveCount, SatisfactionUserModel, satisfactionUsers, userModel, type FollowUp, type SlateOutcome, type UserModelContext } from '../../src/plugins/api.js';

class ShortSessions extends SatisfactionUserModel {
  constructor(
    context: ConstructorParameters<typeof SatisfactionUserModel>[0],
    private readonly limit: number,
  ) {
    super(context);
  }

  override afterSlate(userId: number, requests: number, outcome: SlateOutcome): FollowUp {
    // The built-in model still books the slate (satisfaction, patience); only the decision changes.
    const next = super.afterSlate(userId, requests, outcome);
    return requests >= this.limit ? { kind: 'end' } : next;
  }
}

export default userModel({
  name: 'short_sessions',
  fields: { ...satisfactionUsers.fields, slates_per_session: positiveCount.default(1) },
  build: (context: UserModelContext, settings) => {
    const { slates_per_session, ...users } = settings;
    return new ShortSessions({ ...context, config: { ...context.config, users: { ...users, kind: 'satisfaction' } } }, slates_per_session);
  },
});
