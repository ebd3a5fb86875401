import type { Writable } from 'node:stream';
import type { Argv } from 'yargs';

export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
}

/** One command: registers itself on the parser; its handler writes only through `io`. */
export type CommandModule = (yargs: Argv, io: CliIo) => Argv;

/** An expected failure: printed as one line, exit code 2, no stack trace. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
