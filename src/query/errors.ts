/**
 * An expected failure of a query over run folders (a missing folder, no runs, bad SQL): the
 * message is meant for the person who typed the query, so callers show it without a stack.
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}
