/** The `rtcwire` command: dispatches sub-commands. Each command lives in its own file under commands/. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const HELP = `rtcwire — WebRTC media transport for Node.js

Usage: rtcwire <command> [options]

Commands:
  demo      record headless Chromium's fake camera and microphone to disk (arrives with issue 6)
  help      show this help

Run 'rtcwire <command> --help' for a command's options.
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(HELP);
    return 0;
  }
  if (command === 'demo') {
    void rest;
    io.stdout.write('rtcwire demo: recording is not implemented yet (it arrives with the recorder, issue 6).\n');
    return 0;
  }
  io.stderr.write(`rtcwire: unknown command '${command}'. Run 'rtcwire --help'.\n`);
  return 2;
}
