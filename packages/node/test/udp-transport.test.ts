import { createSocket } from 'node:dgram';
import type { Datagram } from '@rtcwire/common';
import { afterEach, describe, expect, it } from 'vitest';
import { Driver } from '../src/driver.js';
import { UdpTransport } from '../src/udp-transport.js';
import { FakeEndpoint, type FakeEvent } from './helpers.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function bind(options: Parameters<typeof UdpTransport.bind>[0]) {
  const t = await UdpTransport.bind(options);
  open.push(t);
  return t;
}

function nextDatagram(t: UdpTransport): Promise<Datagram> {
  return new Promise((resolve, reject) => t.attach({ datagram: resolve, error: reject }));
}

describe('UdpTransport', () => {
  it('sends and receives datagrams on 127.0.0.1', async () => {
    const a = await bind({ address: '127.0.0.1' });
    const b = await bind({ address: '127.0.0.1' });
    expect(a.local.address).toBe('127.0.0.1');
    expect(a.local.port).toBeGreaterThan(0);
    const got = nextDatagram(b);
    a.send(b.local, new Uint8Array([1, 2, 3]));
    const d = await got;
    expect([...d.data]).toEqual([1, 2, 3]);
    expect(d.remote).toEqual(a.local);
    expect(d.local).toEqual(b.local);
    expect(d.protocol).toBe('udp');
  });

  it('binds IPv6 loopback', async () => {
    const a = await bind({ address: '::1' });
    const b = await bind({ address: '::1' });
    expect(a.local.family).toBe('IPv6');
    const got = nextDatagram(b);
    a.send(b.local, new Uint8Array([9]));
    expect((await got).remote).toEqual({ address: '::1', port: a.local.port, family: 'IPv6' });
  });

  it('walks a port range past ports that are in use', async () => {
    const first = await bind({ address: '127.0.0.1' });
    const min = first.local.port;
    // The next port may be taken by someone else too; the range covers a few.
    const second = await bind({ address: '127.0.0.1', portRange: { min, max: min + 20 } });
    expect(second.local.port).toBeGreaterThan(min);
    expect(second.local.port).toBeLessThanOrEqual(min + 20);
  });

  it('fails clearly when every port in the range is in use', async () => {
    const only = await bind({ address: '127.0.0.1' });
    const port = only.local.port;
    await expect(UdpTransport.bind({ address: '127.0.0.1', portRange: { min: port, max: port } })).rejects.toThrow(
      `no free UDP port in ${port}-${port}`,
    );
  });

  it('rejects an invalid range', async () => {
    await expect(UdpTransport.bind({ portRange: { min: 10, max: 5 } })).rejects.toThrow(RangeError);
  });

  it('reports bad destinations as errors instead of throwing', async () => {
    const a = await bind({ address: '127.0.0.1' });
    const errors: string[] = [];
    a.attach({ datagram: () => {}, error: (e) => errors.push(e.message) });
    a.send({ address: '127.0.0.1', port: 0, family: 'IPv4' }, new Uint8Array(1));
    a.send({ address: 'peer.local', port: 9, family: 'IPv4' }, new Uint8Array(1));
    a.send({ address: '::1', port: 9, family: 'IPv6' }, new Uint8Array(1)); // wrong family: async EINVAL
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.slice(0, 2)).toEqual(['invalid UDP destination 127.0.0.1:0', 'invalid UDP destination peer.local:9']);
    expect(errors).toHaveLength(3);
  });

  it('runs under a Driver: a peer socket gets the endpoint echo back', async () => {
    const t = await UdpTransport.bind({ address: '127.0.0.1' });
    const driver = new Driver<FakeEvent>(new FakeEndpoint(), [t]);
    open.push(driver);
    const peer = createSocket('udp4');
    open.push({ close: () => new Promise((r) => peer.close(() => r())) });
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const echoed = new Promise<Buffer>((r) => peer.once('message', r));
    const event = driver.waitFor((e) => e.type === 'echo');
    peer.send(Buffer.from('hello'), t.local.port, '127.0.0.1');
    expect((await echoed).toString()).toBe('hello');
    expect(await event).toEqual({ type: 'echo', bytes: 5 });
  });
});
