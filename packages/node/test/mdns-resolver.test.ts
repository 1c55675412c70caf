import makeMdns from 'multicast-dns';
import { afterEach, describe, expect, it } from 'vitest';
import { MdnsResolver, MdnsTimeoutError } from '../src/mdns-resolver.js';

// A private port keeps the test off the real mDNS port 5353. Multicast does not loop on `lo` in
// this sandbox (no MULTICAST flag), so the group is joined on the default interface; the packets are
// looped back to this host by IP_MULTICAST_LOOP.
const PORT = 20000 + Math.floor(Math.random() * 20000);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function responder(records: Record<string, { type: 'A' | 'AAAA'; data: string }>) {
  const queries: string[] = [];
  const r = makeMdns({ port: PORT });
  r.on('query', (q) => {
    for (const question of q.questions ?? []) {
      queries.push(`${question.type} ${question.name}`);
      const rec = records[question.name];
      if (rec && rec.type === question.type) {
        r.respond({ answers: [{ name: question.name, type: rec.type, ttl: 120, data: rec.data }] });
      }
    }
  });
  cleanups.push(() => new Promise((res) => r.destroy(() => res())));
  return { queries };
}

function resolver(timeoutMs = 3000) {
  const res = new MdnsResolver({ port: PORT, timeoutMs });
  cleanups.push(() => res.close());
  return res;
}

describe('MdnsResolver', () => {
  it('resolves an A record from a multicast-dns responder', async () => {
    const r = responder({ 'c9a1c6e4-1111-4a5b-9c3d-0123456789ab.local': { type: 'A', data: '192.0.2.77' } });
    const res = resolver();
    expect(await res.resolve('C9A1C6E4-1111-4A5B-9C3D-0123456789AB.local')).toBe('192.0.2.77');
    expect(r.queries).toContain('A c9a1c6e4-1111-4a5b-9c3d-0123456789ab.local');
  });

  it('resolves an AAAA record', async () => {
    responder({ 'v6host.local': { type: 'AAAA', data: 'fd00::42' } });
    expect(await resolver().resolve('v6host.local')).toBe('fd00::42');
  });

  it('answers a second lookup from the cache without asking again', async () => {
    const r = responder({ 'cached.local': { type: 'A', data: '10.0.0.9' } });
    const res = resolver();
    await res.resolve('cached.local');
    const asked = r.queries.length;
    expect(await res.resolve('cached.local')).toBe('10.0.0.9');
    expect(r.queries.length).toBe(asked);
  });

  it('times out with MdnsTimeoutError when nobody answers', async () => {
    responder({});
    await expect(resolver().resolve('nobody.local', 300)).rejects.toBeInstanceOf(MdnsTimeoutError);
  });

  it('rejects names outside .local and lookups after close', async () => {
    const res = resolver();
    await expect(res.resolve('example.org')).rejects.toThrow(/not an mDNS name/);
    await res.close();
    await expect(res.resolve('x.local')).rejects.toThrow(/closed/);
  });
});
