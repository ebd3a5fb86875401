/** An expected failure of a sweep or a merge (a bad grid, slices that do not belong together): one line per problem, exit code 2. */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}
