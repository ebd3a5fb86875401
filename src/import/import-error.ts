/** A log that cannot be imported as asked: one line naming the file (and line and field) and what was expected. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}
