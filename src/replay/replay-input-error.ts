/** A run folder that cannot be replayed, or a widening that cannot apply to it: the CLI prints it as one line. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
}
