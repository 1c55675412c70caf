import { type ChildProcess, spawn } from 'node:child_process';
import { cliSpawnArgs } from './cli.js';
import { freePort } from './ports.js';

/**
 * `rtcwire record --json` as a real child process: start it on a free loopback port, collect its JSON
 * session lines, wait for a session's end line, stop it with SIGTERM (which finalizes open recordings).
 */
export interface RecordEvent extends Record<string, unknown> {
  event: 'start' | 'end';
  session: string;
}

export class RecordCli {
  readonly events: RecordEvent[] = [];
  private stderr = '';
  private exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL of the WHIP server: publish to `${url}/whip`. */
    readonly url: string,
  ) {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      let nl = out.indexOf('\n');
      while (nl >= 0) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        if (line.startsWith('{')) this.events.push(JSON.parse(line) as RecordEvent);
        nl = out.indexOf('\n');
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Spawn `rtcwire record --listen 127.0.0.1:<free port> --out <outDir> --json <extra…>` and wait until it listens. */
  static async start(outDir: string, extra: readonly string[] = [], timeoutMs = 30_000): Promise<RecordCli> {
    const port = await freePort();
    const { command, argv, cwd } = cliSpawnArgs([
      'record',
      '--listen',
      `127.0.0.1:${port}`,
      '--out',
      outDir,
      '--json',
      ...extra,
    ]);
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const cli = new RecordCli(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void cli.exited.then((c) => {
      exitCode = c;
    });
    while (!cli.stderr.includes('WHIP endpoint')) {
      if (exitCode !== undefined) throw new Error(`rtcwire record exited with ${exitCode}: ${cli.stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`rtcwire record did not start in ${timeoutMs} ms: ${cli.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return cli;
  }

  /** What the process wrote to stderr so far. */
  get log(): string {
    return this.stderr;
  }

  /** Wait for the `end` line of `session` (the last path segment of the WHIP resource URL). */
  async waitForEnd(session: string, timeoutMs = 10_000): Promise<RecordEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.find((x) => x.event === 'end' && x.session === session);
      if (e) return e;
      if (Date.now() > deadline) throw new Error(`no end line for session ${session}: ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM and wait for the exit code (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
