/**
 * Where a request's draws come from: a keyed stream positioned at the request's identity, the
 * user and that user's place in their own history (past sessions, request in the session). The
 * key names the request without counting anyone else's, so a request gets the same draws however
 * many other requests were served before it or beside it — on one thread or on several, in this
 * arm or in its twin — which is the same key the world draws the user's behaviour by.
 */
import type { KeyedStream, Rng } from '../rng/index.js';
import type { RecRequest } from './types.js';

export function requestDraws(stream: KeyedStream, request: RecRequest): Rng {
  return stream.at(request.userId, request.pastSessions, request.requestInSession);
}
