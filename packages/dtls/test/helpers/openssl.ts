import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A started openssl s_server / s_client with its collected output. */
export interface OpensslProcess {
  readonly proc: ChildProcessWithoutNullStreams;
  output(): string;
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): void;
}

export function writeTemp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtls-openssl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function startOpenssl(args: string[]): OpensslProcess {
  const proc = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  proc.stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return {
    proc,
    output: () => out,
    waitForOutput(re, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          clearInterval(iv);
          reject(new Error(`openssl output did not match ${re}:\n${out}`));
        }, timeoutMs);
        const iv = setInterval(() => {
          const m = out.match(re);
          if (m) {
            clearTimeout(t);
            clearInterval(iv);
            resolve(m);
          }
        }, 20);
      });
    },
    stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
    },
  };
}
