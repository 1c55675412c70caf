import { seededRandom } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { ContentType, DtlsClient, DtlsServer, decodeRecords } from '../src/index.js';
import { fingerprintVerifier, testCredential } from './helpers/certs.js';
import { type LinkOptions, TestLink } from './helpers/pipe.js';

const enc = new TextEncoder();

function setup(link: LinkOptions, opts: { mtu?: number; kind?: 'p256' | 'rsa'; seed?: number } = {}) {
  const cred = testCredential(opts.kind ?? 'p256', 'sim-server');
  const clientCred = testCredential(opts.kind ?? 'p256', 'sim-client');
  // Back-off can reach tens of seconds after an unlucky run of losses; the simulation jumps over them.
  const common = {
    initialRetransmitMs: 200,
    maxRetransmissions: 30,
    handshakeTimeoutMs: 600_000,
    ...(opts.mtu ? { mtu: opts.mtu } : {}),
  };
  const client = new DtlsClient({
    ...common,
    random: seededRandom((opts.seed ?? 1) * 2),
    credential: clientCred,
    verifyPeer: fingerprintVerifier(cred.fingerprint),
  });
  const server = new DtlsServer({
    ...common,
    random: seededRandom((opts.seed ?? 1) * 2 + 1),
    credential: cred,
    clientAuth: 'require',
    verifyPeer: fingerprintVerifier(clientCred.fingerprint),
  });
  client.start(0);
  return { client, server, link: new TestLink(client, server, link) };
}

function contentTypes(datagram: Uint8Array): number[] {
  return decodeRecords(datagram).map((r) => r.contentType);
}

describe('simulated network', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`30% loss, seed ${seed}: both sides connect`, () => {
      const { link, client, server } = setup({ seed, loss: 0.3, jitterMs: 20 }, { seed });
      link.run(() => link.connected(), 600_000);
      expect(client.state).toBe('connected');
      expect(server.state).toBe('connected');
    });
  }

  it('30% loss + 10% duplication + 100 ms jitter at a 300-byte MTU, 20 seeds: all connect', () => {
    const failed: number[] = [];
    for (let seed = 10; seed < 30; seed++) {
      const { link } = setup({ seed, loss: 0.3, duplicate: 0.1, jitterMs: 100 }, { seed, mtu: 300 });
      link.run(() => link.settled(), 3_000_000);
      if (!link.connected()) failed.push(seed);
    }
    expect(failed).toEqual([]);
  });

  it('reordering and 30% duplication', () => {
    const { link, client, server } = setup({ seed: 9, duplicate: 0.3, jitterMs: 80 }, { mtu: 400 });
    link.run(() => link.connected());
    expect(link.connected()).toBe(true);
    for (let i = 0; i < 40; i++) client.send(enc.encode(`m${i}`));
    link.run(() => false, link.now + 2000);
    const got = link.events[1].flatMap((e) => (e.type === 'data' ? [new TextDecoder().decode(e.data)] : []));
    // Every message exactly once (order may change), duplicates caught by the replay window.
    expect(got.length).toBe(40);
    expect(new Set(got).size).toBe(40);
    expect(server.drops.get('replay')).toBeGreaterThan(0);
  });

  it('300-byte MTU fragments the certificate flights and every datagram fits', () => {
    const { link, client, server } = setup({ seed: 4, jitterMs: 30 }, { mtu: 300, kind: 'rsa' });
    link.run(() => link.connected());
    expect(link.connected()).toBe(true);
    for (const side of link.sent) for (const d of side) expect(d.byteLength).toBeLessThanOrEqual(300);
    // The RSA certificate (~800 bytes) alone needs several datagrams in each direction.
    expect(link.sent[1].length).toBeGreaterThan(5);
    expect(client.connectionInfo?.cipherSuite).toContain('RSA');
    expect(server.connectionInfo?.peerCertificateChain.length).toBe(1);
  });

  it('a lost final flight is re-sent when the client retransmits its flight', () => {
    let droppedFinal = false;
    const { link, client, server } = setup({
      filter: (from, d) => {
        if (from === 'b' && !droppedFinal && contentTypes(d).includes(ContentType.change_cipher_spec)) {
          droppedFinal = true;
          return true;
        }
        return false;
      },
    });
    link.run(() => link.connected());
    expect(droppedFinal).toBe(true);
    expect(client.state).toBe('connected');
    expect(server.state).toBe('connected');
    // The server sent its CCS+Finished flight twice: the second time as an answer to flight 5.
    expect(link.sent[1].filter((d) => contentTypes(d).includes(ContentType.change_cipher_spec)).length).toBe(2);
  });

  it('replayed and tampered application records are dropped', () => {
    const { link, client, server } = setup({});
    link.run(() => link.connected());
    client.send(enc.encode('once'));
    const record = client.pollTransmit();
    expect(record).toBeDefined();
    if (!record) return;
    server.handle(link.now, record);
    server.handle(link.now, record);
    const tampered = record.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    client.send(enc.encode('twice'));
    const second = client.pollTransmit();
    if (!second) return;
    const bad = second.slice();
    bad[bad.length - 3] = (bad[bad.length - 3] ?? 0) ^ 0x40;
    server.handle(link.now, bad);
    const data: string[] = [];
    for (let e = server.pollEvent(); e; e = server.pollEvent())
      if (e.type === 'data') data.push(new TextDecoder().decode(e.data));
    expect(data).toEqual(['once']);
    expect(server.drops.get('replay')).toBe(1);
    expect(server.drops.get('bad_record_mac')).toBe(1);
    server.handle(link.now, second);
    expect(server.pollEvent()).toMatchObject({ type: 'data' });
  });

  it('handshakeTimeoutMs bounds the whole handshake', () => {
    const client = new DtlsClient({
      random: seededRandom(1),
      initialRetransmitMs: 100,
      maxRetransmissions: 100,
      handshakeTimeoutMs: 1000,
      verifyPeer: () => ({ ok: true }),
    });
    client.start(0);
    let last = 0;
    for (let t = client.pollTimeout(); t !== undefined; t = client.pollTimeout()) {
      last = t;
      client.handleTimeout(t);
    }
    expect(last).toBe(1000);
    const events: string[] = [];
    for (let e = client.pollEvent(); e; e = client.pollEvent())
      events.push(e.type === 'failed' ? e.error.code : e.type);
    expect(events).toEqual(['handshake_timeout']);
  });

  it('gives up with handshake_timeout when the server never answers', () => {
    const client = new DtlsClient({
      random: seededRandom(1),
      initialRetransmitMs: 100,
      maxRetransmissions: 3,
      verifyPeer: () => ({ ok: true }),
    });
    client.start(0);
    const deadlines: number[] = [];
    for (let t = client.pollTimeout(); t !== undefined; t = client.pollTimeout()) {
      deadlines.push(t);
      client.handleTimeout(t);
    }
    // 100, 200, 400, 800 ms back-off, then failure.
    expect(deadlines).toEqual([100, 300, 700, 1500]);
    expect(client.state).toBe('failed');
    const e = client.pollEvent();
    expect(e?.type === 'failed' && e.error.code).toBe('handshake_timeout');
  });
});

describe('datagram parsing', () => {
  it('records before a malformed one in the same datagram are still processed', () => {
    const { link, client, server } = setup({});
    link.run(() => link.connected());
    client.send(enc.encode('kept'));
    const good = client.pollTransmit();
    if (!good) throw new Error('no record');
    const datagram = new Uint8Array([...good, 0x17, 0xfe, 0xfd, 0x00]); // truncated second record
    server.handle(link.now, datagram);
    const e = server.pollEvent();
    expect(e?.type === 'data' && new TextDecoder().decode(e.data)).toBe('kept');
    expect(server.drops.get('malformed_record')).toBe(1);
  });
});
