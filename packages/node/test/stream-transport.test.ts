import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { Datagram } from '@rtcwire/common';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamTransport } from '../src/stream-transport.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function listen(server: Server): Promise<number> {
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

function collect(t: StreamTransport, bytes: number): Promise<{ data: number[]; chunks: Datagram[] }> {
  const chunks: Datagram[] = [];
  const data: number[] = [];
  return new Promise((resolve, reject) =>
    t.attach({
      datagram: (d) => {
        chunks.push(d);
        data.push(...d.data);
        if (data.length >= bytes) resolve({ data, chunks });
      },
      error: reject,
    }),
  );
}

describe('StreamTransport', () => {
  it('TCP: writes bytes in order and delivers the reply as tcp datagrams', async () => {
    const port = await listen(createServer((s) => s.pipe(s)));
    const t = await StreamTransport.connect({ host: '127.0.0.1', port });
    cleanups.push(() => t.close());
    expect(t.remote).toEqual({ address: '127.0.0.1', port, family: 'IPv4' });
    const got = collect(t, 6);
    t.send(t.remote, new Uint8Array([1, 2, 3]));
    t.send(t.remote, new Uint8Array([4, 5, 6]));
    const { data, chunks } = await got;
    expect(data).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chunks[0]).toMatchObject({ protocol: 'tcp', local: t.local, remote: t.remote });
  });

  it('keeps bytes the server sends before attach', async () => {
    const port = await listen(createServer((s) => s.end(Buffer.from([7, 7]))));
    const t = await StreamTransport.connect({ host: '127.0.0.1', port });
    cleanups.push(() => t.close());
    await new Promise((r) => setTimeout(r, 50));
    expect((await collect(t, 2)).data).toEqual([7, 7]);
  });

  it('TLS: connects to a self-signed server when verification is relaxed, refuses it otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtcwire-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const key = join(dir, 'k.pem');
    const cert = join(dir, 'c.pem');
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
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) => s.pipe(s));
    const port = await listen(server as unknown as Server);
    await expect(StreamTransport.connect({ host: '127.0.0.1', port, tls: true })).rejects.toThrow(/self.signed/i);
    const t = await StreamTransport.connect({ host: '127.0.0.1', port, tls: true, rejectUnauthorized: false });
    cleanups.push(() => t.close());
    expect(t.tls).toBe(true);
    const got = collect(t, 4);
    t.send(t.remote, new Uint8Array([9, 8, 7, 6]));
    expect((await got).data).toEqual([9, 8, 7, 6]);
  });

  it('rejects when nothing listens', async () => {
    const port = await listen(createServer());
    cleanups.pop()?.();
    await new Promise((r) => setTimeout(r, 20));
    await expect(StreamTransport.connect({ host: '127.0.0.1', port })).rejects.toThrow(/ECONNREFUSED/);
  });
});
