import { createServer } from 'node:net';
import { runCli } from '@rtcwire/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Coturn, startCoturn } from './harness/coturn.js';
import { freePort } from './harness/ports.js';

// The `rtcwire stun` and `rtcwire turn` commands, run in-process through runCli, against coturn.

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

const ADDR = /^127\.0\.0\.1:\d+$/;

describe('rtcwire stun/turn against coturn', () => {
  let turn: Coturn;
  beforeAll(async () => {
    turn = await startCoturn({ tls: true });
  });
  afterAll(async () => {
    await turn?.stop();
  });

  it('stun --json prints the mapped address and a round-trip time', async () => {
    const r = await cli('stun', `127.0.0.1:${turn.port}`, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { mapped: string; rttMs: number };
    expect(result.mapped).toMatch(ADDR);
    expect(typeof result.rttMs).toBe('number');
  });

  it('stun without --json prints one human-readable line', async () => {
    const r = await cli('stun', `127.0.0.1:${turn.port}`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^mapped address 127\.0\.0\.1:\d+ \(round trip [\d.]+ ms, via 127\.0\.0\.1:\d+\)\n$/);
  });

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`turn over ${transport}: allocates, relays a round trip, deallocates`, async () => {
      const port = transport === 'tls' ? turn.tlsPort : turn.port;
      const extra = transport === 'tls' ? ['--insecure'] : [];
      const r = await cli(
        'turn',
        `127.0.0.1:${port}`,
        '--user',
        turn.user,
        '--pass',
        turn.pass,
        '--transport',
        transport,
        '--json',
        ...extra,
      );
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.out) as Record<string, unknown>;
      expect(result.relayed).toMatch(ADDR);
      expect(result.mapped).toMatch(ADDR);
      expect(result.lifetimeS).toBeGreaterThan(0);
      expect(result.roundTripOk).toBe(true);
    });
  }

  it('turn accepts RFC 7065 URIs: turn:…?transport=tcp and turns:', async () => {
    for (const uri of [`turn:127.0.0.1:${turn.port}?transport=tcp`, `turns:127.0.0.1:${turn.tlsPort}`]) {
      const r = await cli('turn', uri, '--user', turn.user, '--pass', turn.pass, '--insecure');
      expect(r.err, uri).toBe('');
      expect(r.code, uri).toBe(0);
      expect(r.out, uri).toMatch(
        /^relayed address 127\.0\.0\.1:\d+ .* via 127\.0\.0\.1:\d+ \((tcp|tls)\)\nrelay round trip ok/,
      );
    }
  });

  it('turn over tcp reports a server that hangs up in one line', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const r = await cli('turn', `127.0.0.1:${port}`, '--user', 'u', '--pass', 'p', '--transport', 'tcp');
      expect(r.code).toBe(1);
      expect(r.err).toBe(`rtcwire turn: 127.0.0.1:${port} (tcp): the server closed the connection\n`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('turn over tls refuses the self-signed certificate without --insecure', async () => {
    const r = await cli(
      'turn',
      `127.0.0.1:${turn.tlsPort}`,
      '--user',
      turn.user,
      '--pass',
      turn.pass,
      '--transport',
      'tls',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^rtcwire turn: cannot connect to 127\.0\.0\.1:\d+ over tls .*--insecure\n$/);
  });

  it('turn with a wrong password fails with one clear line', async () => {
    const r = await cli('turn', `127.0.0.1:${turn.port}`, '--user', turn.user, '--pass', 'wrong');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('rtcwire turn: authentication failed (401 Unauthorized) — check --user/--pass\n');
  });

  it('unreachable servers fail with one line: stun and turn over udp time out, tcp is refused', async () => {
    const dead = await freePort();
    const stun = await cli('stun', `127.0.0.1:${dead}`, '--timeout', '600');
    expect(stun.code).toBe(1);
    expect(stun.err).toMatch(
      /^rtcwire stun: 127\.0\.0\.1:\d+: no response within \d+ ms — is a STUN server running there\?\n$/,
    );
    const udp = await cli('turn', `127.0.0.1:${dead}`, '--user', 'u', '--pass', 'p', '--timeout', '600');
    expect(udp.code).toBe(1);
    expect(udp.err).toMatch(/^rtcwire turn: no answer from 127\.0\.0\.1:\d+ \(udp\) within 600 ms/);
    expect(udp.err.split('\n')).toHaveLength(2);
    const tcp = await cli('turn', `127.0.0.1:${dead}`, '--user', 'u', '--pass', 'p', '--transport', 'tcp');
    expect(tcp.code).toBe(1);
    expect(tcp.err).toMatch(/^rtcwire turn: cannot connect to 127\.0\.0\.1:\d+ over tcp \(ECONNREFUSED\)\n$/);
  });

  it('bad arguments exit 2 with one line pointing at --help', async () => {
    for (const argv of [
      ['turn', `127.0.0.1:${turn.port}`],
      ['turn', `127.0.0.1:${turn.port}`, '--user', 'u', '--pass', 'p', '--transport', 'sctp'],
      ['stun', 'no-port'],
      ['stun', '127.0.0.1:1', '--timeout', 'soon'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(2);
      expect(r.err).toMatch(/Run 'rtcwire (stun|turn) --help'\.\n$/);
    }
  });

  it('--help per command prints usage and exits 0', async () => {
    for (const name of ['stun', 'turn']) {
      const r = await cli(name, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: rtcwire ${name} HOST:PORT`));
    }
  });
});
