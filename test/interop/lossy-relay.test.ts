import { type Socket, createSocket } from 'node:dgram';
import { seededRandom } from '@rtcwire/common';
import { afterEach, describe, expect, it } from 'vitest';
import { LossyRelay, type RelayAddress } from './harness/lossy-relay.js';
import { loopbackUdpCandidate, replaceCandidates, sdpCandidates, stripCandidates } from './harness/sdp-candidates.js';

/** A plain UDP endpoint on loopback that records the 4-byte indices it receives. */
async function endpoint(): Promise<{ socket: Socket; address: RelayAddress; got: number[] }> {
  const socket = createSocket('udp4');
  const got: number[] = [];
  socket.on('message', (m) => got.push(m.readUInt32BE(0)));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const { address, port } = socket.address();
  return { socket, address: { address, port }, got };
}

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Send indices [from, from + n) from `socket` to `to`, in batches the relay has taken before the next. */
async function sendIndices(
  socket: Socket,
  to: RelayAddress,
  from: number,
  n: number,
  relayed: () => number,
): Promise<void> {
  const base = relayed();
  for (let i = 0; i < n; i += 100) {
    const batch = Math.min(100, n - i);
    for (let k = 0; k < batch; k++) {
      const b = Buffer.alloc(32);
      b.writeUInt32BE(from + i + k, 0);
      socket.send(b, to.port, to.address);
    }
    await until(() => relayed() - base >= i + batch, `relay to take datagram ${from + i + batch}`);
  }
}

/** Which of the first n datagrams a source drops at rate p (the relay's rule: draw < p). */
function expectedDrops(seed: number, n: number, p: number): number[] {
  const r = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (r.float() < p) out.push(i);
  return out;
}

describe('LossyRelay', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('drops ≈5% per direction, independently, with exact counters and the injected sources’ pattern', async () => {
    const N = 2000;
    const LOSS = 0.05;
    const chrome = await endpoint();
    const rtcwire = await endpoint();
    const relay = await LossyRelay.start({
      loss: LOSS,
      random: { aToB: seededRandom(7), bToA: seededRandom(8) },
      peerB: rtcwire.address,
    });
    cleanup.push(
      () => relay.close(),
      () => chrome.socket.close(),
      () => rtcwire.socket.close(),
    );
    expect(relay.a.port).not.toBe(relay.b.port);

    // A → B: the relay learns peer A from the first datagram.
    await sendIndices(chrome.socket, relay.a, 0, N, () => relay.counters.aToB.received);
    expect(relay.peerA).toEqual(chrome.address);
    await until(() => rtcwire.got.length === relay.counters.aToB.forwarded, 'A→B deliveries');
    // B → A: rtcwire's datagrams reach the learned Chrome address, from socket A.
    await sendIndices(rtcwire.socket, relay.b, 0, N, () => relay.counters.bToA.received);
    await until(() => chrome.got.length === relay.counters.bToA.forwarded, 'B→A deliveries');

    for (const [d, receiver, seed] of [
      ['aToB', rtcwire, 7],
      ['bToA', chrome, 8],
    ] as const) {
      const c = relay.counters[d];
      console.log(`${d}: ${JSON.stringify(c)} (observed loss ${(100 * relay.observedLoss(d)).toFixed(2)}%)`);
      expect(c.received).toBe(N);
      expect(c.forwarded + c.dropped).toBe(N);
      expect(c.ignored).toBe(0);
      expect(receiver.got.length).toBe(c.forwarded);
      // Binomial(2000, 0.05): sd ≈ 0.49 percentage points; ±1.5 points is three of them.
      expect(Math.abs(relay.observedLoss(d) - LOSS)).toBeLessThan(0.015);
      const got = new Set(receiver.got);
      const missing = [...Array(N).keys()].filter((i) => !got.has(i));
      expect(missing).toEqual(expectedDrops(seed, N, LOSS));
    }
    // Independent sources: the two directions lose different datagrams.
    expect(expectedDrops(7, N, LOSS)).not.toEqual(expectedDrops(8, N, LOSS));
  });

  it('relays only the pinned peers: another sender draws nothing and is counted as ignored', async () => {
    const chrome = await endpoint();
    const rtcwire = await endpoint();
    const stranger = await endpoint();
    const relay = await LossyRelay.start({ peerA: chrome.address, peerB: rtcwire.address, seed: 3 });
    cleanup.push(
      () => relay.close(),
      () => chrome.socket.close(),
      () => rtcwire.socket.close(),
      () => stranger.socket.close(),
    );
    await sendIndices(stranger.socket, relay.a, 1000, 10, () => relay.counters.aToB.ignored);
    await sendIndices(stranger.socket, relay.b, 2000, 10, () => relay.counters.bToA.ignored);
    await sendIndices(chrome.socket, relay.a, 0, 50, () => relay.counters.aToB.received);
    await sendIndices(rtcwire.socket, relay.b, 0, 50, () => relay.counters.bToA.received);
    await until(() => rtcwire.got.length === 50 && chrome.got.length === 50, 'lossless deliveries');
    expect(relay.counters.aToB).toEqual({ received: 50, forwarded: 50, dropped: 0, ignored: 10 });
    expect(relay.counters.bToA).toEqual({ received: 50, forwarded: 50, dropped: 0, ignored: 10 });
    expect(rtcwire.got).toEqual([...Array(50).keys()]);
    expect(chrome.got).toEqual([...Array(50).keys()]);
    expect(stranger.got).toEqual([]);
  });

  it('with learnPeerA false, ignores peer A until the test pins it, then relays both ways', async () => {
    const chrome = await endpoint();
    const rtcwire = await endpoint();
    const relay = await LossyRelay.start({ peerB: rtcwire.address, learnPeerA: false });
    cleanup.push(
      () => relay.close(),
      () => chrome.socket.close(),
      () => rtcwire.socket.close(),
    );
    await sendIndices(chrome.socket, relay.a, 100, 5, () => relay.counters.aToB.ignored);
    await sendIndices(rtcwire.socket, relay.b, 200, 5, () => relay.counters.bToA.ignored);
    expect(relay.peerA).toBeUndefined();
    relay.peerA = chrome.address;
    await sendIndices(chrome.socket, relay.a, 0, 5, () => relay.counters.aToB.received);
    await sendIndices(rtcwire.socket, relay.b, 0, 5, () => relay.counters.bToA.received);
    await until(() => rtcwire.got.length === 5 && chrome.got.length === 5, 'deliveries after pinning');
    expect(rtcwire.got).toEqual([0, 1, 2, 3, 4]);
    expect(chrome.got).toEqual([0, 1, 2, 3, 4]);
    expect(relay.counters.aToB.ignored).toBe(5);
    expect(relay.counters.bToA.ignored).toBe(5);
  });

  it('per-direction rates and delay: all lost one way, all delivered (delayed, in order) the other', async () => {
    const chrome = await endpoint();
    const rtcwire = await endpoint();
    const relay = await LossyRelay.start({
      loss: { aToB: 1, bToA: 0 },
      delayMs: { bToA: 20 },
      peerA: chrome.address,
      peerB: rtcwire.address,
    });
    cleanup.push(
      () => relay.close(),
      () => chrome.socket.close(),
      () => rtcwire.socket.close(),
    );
    await sendIndices(chrome.socket, relay.a, 0, 200, () => relay.counters.aToB.received);
    await sendIndices(rtcwire.socket, relay.b, 0, 200, () => relay.counters.bToA.received);
    await until(() => chrome.got.length === 200, 'delayed deliveries');
    expect(relay.counters.aToB).toEqual({ received: 200, forwarded: 0, dropped: 200, ignored: 0 });
    expect(relay.counters.bToA).toEqual({ received: 200, forwarded: 200, dropped: 0, ignored: 0 });
    expect(rtcwire.got).toEqual([]);
    expect(chrome.got).toEqual([...Array(200).keys()]);
    expect(relay.describe()).toMatch(/aToB: 200 received, 0 forwarded, 200 dropped \(100\.0%\)/);
  });

  it('rejects loss rates outside [0, 1] and negative delays', async () => {
    await expect(LossyRelay.start({ loss: 1.5 })).rejects.toThrow(RangeError);
    await expect(LossyRelay.start({ loss: { bToA: -0.1 } })).rejects.toThrow(RangeError);
    await expect(LossyRelay.start({ loss: Number.NaN })).rejects.toThrow(RangeError);
    await expect(LossyRelay.start({ delayMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe('SDP candidate rewriting for the relay', () => {
  const offer = [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'm=audio 50000 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 10.0.0.5',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host generation 0',
    'a=candidate:2 1 udp 2122194687 127.0.0.1 50002 typ host generation 0',
    'a=candidate:3 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0',
    'a=end-of-candidates',
    'a=mid:0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
    '',
  ].join('\r\n');

  it('finds the loopback UDP host candidate, and says what there is when there is none', () => {
    expect(sdpCandidates(offer).map((c) => `${c.transport} ${c.address}:${c.port}`)).toEqual([
      'udp 10.0.0.5:50000',
      'udp 127.0.0.1:50002',
      'tcp 127.0.0.1:9',
    ]);
    expect(loopbackUdpCandidate(offer)).toEqual({ address: '127.0.0.1', port: 50002 });
    expect(() => loopbackUdpCandidate(offer, '192.0.2.1')).toThrow(/10\.0\.0\.5:50000, 127\.0\.0\.1:50002/);
  });

  it('replaces the candidates by one at the relay and repoints c=, m= and a=rtcp; leaves other sections', () => {
    const out = replaceCandidates(offer, { address: '127.0.0.1', port: 40000 });
    expect(out).toBe(
      [
        'v=0',
        'o=- 1 2 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        'a=group:BUNDLE 0 1',
        'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
        'c=IN IP4 127.0.0.1',
        'a=rtcp:40000 IN IP4 127.0.0.1',
        'a=candidate:relay 1 udp 2130706431 127.0.0.1 40000 typ host',
        'a=end-of-candidates',
        'a=mid:0',
        'm=video 9 UDP/TLS/RTP/SAVPF 96',
        'c=IN IP4 0.0.0.0',
        'a=mid:1',
        '',
      ].join('\r\n'),
    );
    expect(sdpCandidates(out)).toHaveLength(1);
    expect(
      stripCandidates('a=ice-ufrag:x\r\na=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\na=end-of-candidates\r\n'),
    ).toBe('a=ice-ufrag:x\r\na=end-of-candidates\r\n');
  });
});
