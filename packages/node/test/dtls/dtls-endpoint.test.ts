import { type Datagram, socketAddress } from '@rtcwire/common';
import { createFingerprintVerifier, DtlsClient, DtlsServer, generateCertificate } from '@rtcwire/dtls';
import { describe, expect, it } from 'vitest';
import { DtlsPeerEndpoint, DtlsServerEndpoint, type DtlsServerEvent } from '../../src/dtls/index.js';

const serverAddr = socketAddress('10.0.0.1', 5000);
const clientA = socketAddress('10.0.0.2', 6000);
const clientB = socketAddress('10.0.0.3', 6000);

/** What the other end of a link receives for a datagram sent by this end. */
function arriving(d: Datagram): Datagram {
  return { local: d.remote, remote: d.local, data: d.data };
}

function drain<T>(poll: () => T | undefined): T[] {
  const out: T[] = [];
  for (let x = poll(); x !== undefined; x = poll()) out.push(x);
  return out;
}

describe('DtlsServerEndpoint / DtlsPeerEndpoint (sans-IO adapters)', async () => {
  const cert = await generateCertificate({ now: new Date(), commonName: 'srv' });
  const verifyPeer = createFingerprintVerifier({ fingerprints: [cert.fingerprint()] });

  function setup(maxSessions?: number) {
    const server = new DtlsServerEndpoint(serverAddr, {
      createCore: () => new DtlsServer({ credential: cert }),
      ...(maxSessions === undefined ? {} : { maxSessions }),
    });
    const client = (local: typeof clientA) => {
      const core = new DtlsClient({ verifyPeer });
      return new DtlsPeerEndpoint(core, local, serverAddr);
    };
    return { server, client };
  }

  /** Moves datagrams between the server and clients until nothing moves. */
  function run(server: DtlsServerEndpoint, clients: DtlsPeerEndpoint[], now: number): DtlsServerEvent[] {
    const events: DtlsServerEvent[] = [];
    for (let i = 0; i < 50; i++) {
      let moved = false;
      for (const c of clients) {
        for (const d of drain(() => c.pollTransmit())) {
          server.handleDatagram(now, arriving(d));
          moved = true;
        }
      }
      for (const d of drain(() => server.pollTransmit())) {
        const target = clients.find((c) => c.local.address === d.remote.address && c.local.port === d.remote.port);
        target?.handleDatagram(now, arriving(d));
        moved = true;
      }
      events.push(...drain(() => server.pollEvent()));
      if (!moved) break;
    }
    return events;
  }

  it('starts one session per peer address and tags events with it', () => {
    const { server, client } = setup();
    const a = client(clientA);
    const b = client(clientB);
    (a.core as DtlsClient).start(0);
    (b.core as DtlsClient).start(0);
    const events = run(server, [a, b], 0);
    expect(events.filter((e) => e.type === 'session').map((e) => e.remote.address)).toEqual(['10.0.0.2', '10.0.0.3']);
    const connected = events.filter((e) => e.type === 'session-event' && e.event.type === 'connected');
    expect(connected.map((e) => e.remote.address).sort()).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(a.core.state).toBe('connected');
    expect(b.core.state).toBe('connected');
    expect(server.sessionCount).toBe(2);
  });

  it('drops non-ClientHello datagrams from unknown peers and counts them', () => {
    const { server } = setup();
    server.handleDatagram(0, {
      local: serverAddr,
      remote: clientA,
      data: new Uint8Array([23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]),
    });
    server.handleDatagram(0, { local: serverAddr, remote: clientA, data: new Uint8Array(0) });
    expect(server.sessionCount).toBe(0);
    expect(server.drops.get('no_session')).toBe(2);
    expect(server.pollEvent()).toBeUndefined();
  });

  it('refuses peers beyond maxSessions and after stopAccepting', () => {
    const { server, client } = setup(1);
    const a = client(clientA);
    const b = client(clientB);
    (a.core as DtlsClient).start(0);
    (b.core as DtlsClient).start(0);
    run(server, [a, b], 0);
    expect(server.sessionCount).toBe(1);
    expect(server.drops.get('not_accepting')).toBeGreaterThan(0);
    server.stopAccepting();
    const c = client(socketAddress('10.0.0.4', 1));
    (c.core as DtlsClient).start(0);
    run(server, [c], 0);
    expect(server.sessionCount).toBe(1);
  });

  it('the peer endpoint ignores datagrams from other addresses', () => {
    const { client } = setup();
    const a = client(clientA);
    a.handleDatagram(0, { local: clientA, remote: clientB, data: new Uint8Array([22]) });
    expect(a.drops.get('foreign_source')).toBe(1);
  });

  it('reports the earliest retransmission deadline of all sessions', () => {
    const { server, client } = setup();
    const a = client(clientA);
    (a.core as DtlsClient).start(0);
    for (const d of drain(() => a.pollTransmit())) server.handleDatagram(0, arriving(d));
    // A cookie-exchange server keeps no timer for a HelloVerifyRequest (RFC 6347 §4.2.1).
    expect(server.pollTimeout()).toBeUndefined();
    expect(a.pollTimeout()).toBeGreaterThan(0);
  });
});
