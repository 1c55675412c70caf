/**
 * The `rtcwire` command: a table of sub-commands, each in its own file under commands/.
 * To add a command: import its `Command` object and append it to COMMANDS. Nothing else.
 */
import { type CliIo, type Command, CommandError, UsageError } from './command.js';
import { demoCommand } from './commands/demo.js';
import { stunCommand } from './commands/stun.js';
import { turnCommand } from './commands/turn.js';
import { dtlsCommand } from './commands/dtls.js';
import { recordCommand } from './commands/record.js';

export type { CliIo, Command } from './command.js';

const COMMANDS: readonly Command[] = [demoCommand, recordCommand, stunCommand, turnCommand, dtlsCommand];

function help(): string {
  const width = Math.max(4, ...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push(`  ${'help'.padEnd(width)}  show this help`);
  return `rtcwire — WebRTC media transport for Node.js

Usage: rtcwire <command> [options]

Commands:
${lines.join('\n')}

Run 'rtcwire <command> --help' for a command's options.
`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(help());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`rtcwire: unknown command '${name}'. Run 'rtcwire --help'.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`rtcwire ${name}: ${err.message}. Run 'rtcwire ${name} --help'.\n`);
      return 2;
    }
    if (err instanceof CommandError) {
      io.stderr.write(`rtcwire ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`rtcwire ${name}: ${message}\n`);
    return 1;
  }
}
