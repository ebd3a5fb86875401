/** A world that cannot be fitted or checked as asked: one line naming the file (and row and field) and what was expected. */
export class FitError extends Error {
  override readonly name = 'FitError';
}
