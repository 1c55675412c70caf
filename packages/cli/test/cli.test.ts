import { describe, expect, it } from 'vitest';
import { choiceOption, intOption, parseArgs, parseHostPort, parseServer } from '../src/args.js';
import { runCli } from '../src/cli.js';
import { UsageError } from '../src/command.js';

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    out: () => out,
    err: () => err,
  };
}

describe('runCli dispatch', () => {
  it('prints the command table for --help', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/demo\s+record/);
  });
  it('rejects unknown demo options with a usage error (exit 2)', async () => {
    const c = capture();
    expect(await runCli(['demo', '--frobnicate'], c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown option --frobnicate/);
  });

  it('rejects an unknown command with exit 2 and one stderr line', async () => {
    const c = capture();
    expect(await runCli(['nope'], c.io)).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
  });
  it('prints per-command usage for <cmd> --help', async () => {
    const c = capture();
    expect(await runCli(['demo', '--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^Usage: rtcwire demo/);
  });
});

describe('parseArgs', () => {
  const spec = { json: false, timeout: true, user: true };
  it('parses values, flags and positionals', () => {
    const p = parseArgs(['h:1', '--json', '--timeout', '50', '--user=a=b'], spec);
    expect(p.positionals).toEqual(['h:1']);
    expect(p.flags.has('json')).toBe(true);
    expect(intOption(p, 'timeout', 0)).toBe(50);
    expect(p.values.get('user')).toBe('a=b');
  });
  it('rejects unknown options, missing values and bad numbers', () => {
    expect(() => parseArgs(['--what'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['--timeout'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['--json=1'], spec)).toThrow(UsageError);
    expect(() => intOption(parseArgs(['--timeout', '-1'], spec), 'timeout', 0)).toThrow(UsageError);
    expect(() => choiceOption(parseArgs(['--user', 'x'], spec), 'user', ['a', 'b'], 'a')).toThrow(UsageError);
  });
  it('splits host:port including IPv6 brackets', () => {
    expect(parseHostPort('127.0.0.1:3478')).toEqual({ host: '127.0.0.1', port: 3478 });
    expect(parseHostPort('[::1]:5349')).toEqual({ host: '::1', port: 5349 });
    expect(parseHostPort('turn.example.org:80')).toEqual({ host: 'turn.example.org', port: 80 });
    expect(() => parseHostPort('127.0.0.1')).toThrow(UsageError);
    expect(() => parseHostPort('a:0')).toThrow(UsageError);
    expect(() => parseHostPort(undefined)).toThrow(UsageError);
  });
});

describe('parseServer', () => {
  it('accepts HOST:PORT with no transport', () => {
    expect(parseServer('127.0.0.1:3478', 'turn')).toEqual({ host: '127.0.0.1', port: 3478, transport: undefined });
  });
  it('reads RFC 7065 TURN URIs with default ports and transports', () => {
    expect(parseServer('turn:example.org', 'turn')).toEqual({ host: 'example.org', port: 3478, transport: 'udp' });
    expect(parseServer('turn:10.0.0.1:80?transport=tcp', 'turn')).toEqual({
      host: '10.0.0.1',
      port: 80,
      transport: 'tcp',
    });
    expect(parseServer('turns:example.org', 'turn')).toEqual({ host: 'example.org', port: 5349, transport: 'tls' });
    expect(parseServer('TURNS:[::1]:443?transport=tcp', 'turn')).toEqual({ host: '::1', port: 443, transport: 'tls' });
  });
  it('reads RFC 7064 STUN URIs', () => {
    expect(parseServer('stun:stun.example.org', 'stun')).toEqual({
      host: 'stun.example.org',
      port: 3478,
      transport: undefined,
    });
  });
  it('rejects what it cannot serve', () => {
    for (const [text, kind] of [
      ['turns:h?transport=udp', 'turn'],
      ['stuns:h', 'stun'],
      ['turn:h', 'stun'],
      ['stun:h', 'turn'],
      ['turn:h:99999', 'turn'],
      ['turn:h?transport=sctp', 'turn'],
      ['turn:', 'turn'],
    ] as const) {
      expect(() => parseServer(text, kind), text).toThrow(UsageError);
    }
  });
});
