/** An off-policy evaluation of imported logs that cannot run as asked: one line naming the file or option. */
export class OpeLogError extends Error {
  override readonly name = 'OpeLogError';
}
