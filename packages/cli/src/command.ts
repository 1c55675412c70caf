/**
 * The shape of one `rtcwire` sub-command. Each command lives in its own file under commands/ and
 * exports a `Command`; cli.ts lists them in one table. Adding a command = one import + one entry.
 */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export interface Command {
  /** The word after `rtcwire`, e.g. `stun` or `dtls` (a command may take its own sub-verbs). */
  readonly name: string;
  /** One line for `rtcwire --help`. */
  readonly summary: string;
  /** Full usage text printed by `rtcwire <name> --help`. */
  readonly usage: string;
  /** Run with the arguments after the command name; resolve to the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown by argument parsing; the dispatcher prints `rtcwire <cmd>: <message>` and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Thrown by a command for an expected failure; printed as one line, exit code `exitCode`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
