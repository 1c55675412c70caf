import { type ChildProcess, spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './ports.js';

/**
 * Starts coturn (Debian's `turnserver`) on 127.0.0.1 with long-term credentials, as PEERS.md
 * describes, and stops it by the pid it started. Ports are chosen free at start.
 */
export interface Coturn {
  readonly host: string;
  readonly port: number;
  /** TLS listening port (only when started with `tls: true`). */
  readonly tlsPort: number | undefined;
  readonly user: string;
  readonly pass: string;
  readonly realm: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface CoturnOptions {
  user?: string;
  pass?: string;
  realm?: string;
  /** Listen for TLS on a second port with a fresh self-signed certificate. */
  tls?: boolean;
}

export async function startCoturn(options: CoturnOptions = {}): Promise<Coturn> {
  if (!existsSync('/usr/bin/turnserver')) {
    throw new Error('coturn is not installed: run `npm test` (it runs scripts/install-system-deps.sh)');
  }
  const user = options.user ?? 'user';
  const pass = options.pass ?? 'pass';
  const realm = options.realm ?? 'example.org';
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-coturn-'));
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const relayBase = 20000 + Math.floor(Math.random() * 30000);
  const args = [
    '-n',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'turn.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    '--external-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${relayBase}`,
    `--max-port=${relayBase + 99}`,
    '--lt-cred-mech',
    `--user=${user}:${pass}`,
    `--realm=${realm}`,
    '--fingerprint',
    '--allow-loopback-peers',
    '--no-cli',
    '--no-multicast-peers',
  ];
  if (tlsPort !== undefined) {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    args.push(`--tls-listening-port=${tlsPort}`, `--cert=${cert}`, `--pkey=${key}`, '--no-dtls');
  } else {
    args.push('--no-tls', '--no-dtls');
  }
  const child: ChildProcess = spawn('/usr/bin/turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // Ready when the TCP listener accepts (UDP and TCP listeners open together).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`turnserver exited early:\n${out}`);
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`turnserver did not start within 10 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    user,
    pass,
    realm,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
