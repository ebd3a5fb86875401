import type { Writable } from 'node:stream';
import type { Argv } from 'yargs';

export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
}

/** One command: registers itself on the parser; its handler writes only through `io`. */
export type CommandModule = (yargs: Argv, io: CliIo) => Argv;

/** Writes a loader's note (a key a `--set` of another kind dropped) to stderr, one line each. */
export function noteTo(io: CliIo): (note: string) => void {
  return (note) => io.stderr.write(`note: ${note}\n`);
}

/** An expected failure: printed as one line, exit code 2, no stack trace. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
