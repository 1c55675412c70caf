import type { Datagram, DatagramEndpoint, SocketAddress } from '@rtcwire/common';
import { sameAddress, socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import type { IceAgent, IceEvent } from '../../src/index.js';
import { twoAgents } from './harness.js';

/**
 * A remote that sends as libwebrtc may: data on a pair as soon as its own check on that pair succeeded
 * (RFC 8445 §12.1 allows data on any valid pair before selection), without waiting for nomination or for
 * the peer's check. Datagrams are RTP-like (first byte 0x80) and carry their index in the second byte.
 */
class EagerSender implements DatagramEndpoint<IceEvent> {
  sent = 0;
  private route: { local: SocketAddress; remote: SocketAddress } | undefined;
  private nextSendMs: number | undefined;
  private readonly out: Datagram[] = [];

  constructor(
    readonly agent: IceAgent,
    private readonly count: number,
    private readonly intervalMs: number,
  ) {}

  handleDatagram(now: number, d: Datagram): void {
    this.agent.handleDatagram(now, d);
    this.step(now);
  }
  handleTimeout(now: number): void {
    if ((this.agent.pollTimeout() ?? Number.POSITIVE_INFINITY) <= now) this.agent.handleTimeout(now);
    this.step(now);
  }
  pollTransmit(): Datagram | undefined {
    return this.agent.pollTransmit() ?? this.out.shift();
  }
  pollEvent(): IceEvent | undefined {
    return this.agent.pollEvent();
  }
  pollTimeout(): number | undefined {
    const t = this.agent.pollTimeout();
    if (this.nextSendMs === undefined) return t;
    return t === undefined ? this.nextSendMs : Math.min(t, this.nextSendMs);
  }

  private step(now: number): void {
    if (!this.route) {
      const valid = this.agent.pairs.find((p) => p.state === 'succeeded');
      if (!valid) return;
      this.route = { local: valid.pair.localBase, remote: valid.pair.remoteAddress };
      this.nextSendMs = now;
    }
    while (this.nextSendMs !== undefined && now >= this.nextSendMs) {
      this.out.push({ ...this.route, data: Uint8Array.of(0x80, this.sent) });
      this.sent++;
      this.nextSendMs = this.sent < this.count ? this.nextSendMs + this.intervalMs : undefined;
    }
  }
}

/** Records, for each datagram the agent hands up, whether its own check on that pair had succeeded by then. */
class DeliveryRecorder implements DatagramEndpoint<IceEvent> {
  readonly deliveries: { index: number; ownCheckSucceeded: boolean; remoteType: string | undefined }[] = [];

  constructor(readonly agent: IceAgent) {}

  handleDatagram(now: number, d: Datagram): void {
    this.agent.handleDatagram(now, d);
  }
  handleTimeout(now: number): void {
    this.agent.handleTimeout(now);
  }
  pollTransmit(): Datagram | undefined {
    return this.agent.pollTransmit();
  }
  pollTimeout(): number | undefined {
    return this.agent.pollTimeout();
  }
  pollEvent(): IceEvent | undefined {
    const e = this.agent.pollEvent();
    if (e?.type === 'data') {
      const report = this.agent.pairs.find(
        (p) => sameAddress(p.pair.localBase, e.local) && sameAddress(p.pair.remoteAddress, e.from),
      );
      this.deliveries.push({
        index: e.data[1] ?? -1,
        ownCheckSucceeded: report?.state === 'succeeded',
        remoteType: report?.pair.remote.type,
      });
    }
    return e;
  }
}

/** A host that sends unauthenticated datagrams at the agent's address (never a STUN check). */
class Stranger implements DatagramEndpoint<IceEvent> {
  private readonly out: Datagram[] = [];
  send(local: SocketAddress, remote: SocketAddress, n: number): void {
    for (let i = 0; i < n; i++) this.out.push({ local, remote, data: Uint8Array.of(0x80, 200 + i) });
  }
  handleDatagram(): void {}
  handleTimeout(): void {}
  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }
  pollEvent(): IceEvent | undefined {
    return undefined;
  }
  pollTimeout(): number | undefined {
    return undefined;
  }
}

const COUNT = 40;
const INTERVAL_MS = 5;

function scenario(seed: number, opts: { hideA?: boolean; lateToA?: boolean }) {
  let sender: EagerSender | undefined;
  let recorder: DeliveryRecorder | undefined;
  const sim = twoAgents({
    seed,
    a: {
      nat: { type: 'port-restricted' },
      link: { latencyMs: 20 },
      wrap: (agent) => {
        sender = new EagerSender(agent, COUNT, INTERVAL_MS);
        return sender;
      },
      ...(opts.hideA ? { hideCandidates: true } : {}),
      // A's candidates reach B at once; with `lateToA`, B's reach A only after 300 ms.
      signalDelayMs: 0,
    },
    b: {
      link: { latencyMs: 20 },
      wrap: (agent) => {
        recorder = new DeliveryRecorder(agent);
        return recorder;
      },
      ...(opts.lateToA ? { signalDelayMs: 300 } : {}),
    },
  });
  return { ...sim, sender: sender as EagerSender, recorder: recorder as DeliveryRecorder };
}

describe('data that arrives before our own check on the pair succeeded (RFC 8445 §12.1, §12.2)', () => {
  it.each([81, 82, 83])(
    'delivers data from a signalled candidate whose pair is still In-Progress on our side (seed %d)',
    (seed) => {
      // B checks A's candidates first, into A's port-restricted NAT, which filters them until A has sent to B:
      // B's pair towards A's public address stays In-Progress (retransmitting) while A's own check succeeds
      // and A starts sending.
      const { net, b, start, bothIn, sender, recorder } = scenario(seed, { lateToA: true });
      start();
      expect(net.runUntil(bothIn('completed'), 20_000)).toBe(true);
      net.runFor(1000);
      expect(sender.sent).toBe(COUNT);
      // Every datagram was handed up, some of them before B's own check on the pair had succeeded.
      expect(recorder.deliveries.map((d) => d.index).sort((x, y) => x - y)).toEqual([...Array(COUNT).keys()]);
      expect(recorder.deliveries.filter((d) => !d.ownCheckSucceeded).length).toBeGreaterThan(0);
      expect(recorder.deliveries.every((d) => d.remoteType === 'srflx')).toBe(true);
      expect(b.agent.drops.get('data-unknown-source') + b.agent.drops.get('data-unverified-pair')).toBe(0);
    },
  );

  it.each([84, 85, 86])('delivers data from a peer-reflexive candidate learnt from a check (seed %d)', (seed) => {
    // B never gets A's candidates: it learns A only from A's check, and answers with a triggered check whose
    // response races A's first data.
    const { net, b, start, bothIn, sender, recorder } = scenario(seed, { hideA: true });
    start();
    expect(net.runUntil(bothIn('connected', 'completed'), 20_000)).toBe(true);
    net.runFor(1000);
    expect(sender.sent).toBe(COUNT);
    expect(recorder.deliveries.map((d) => d.index).sort((x, y) => x - y)).toEqual([...Array(COUNT).keys()]);
    expect(recorder.deliveries.filter((d) => !d.ownCheckSucceeded).length).toBeGreaterThan(0);
    expect(recorder.deliveries.every((d) => d.remoteType === 'prflx')).toBe(true);
    expect(b.agent.drops.get('data-unknown-source') + b.agent.drops.get('data-unverified-pair')).toBe(0);
  });

  it('keeps dropping and counting data from an address that never sent an authenticated check', () => {
    const { net, b, start, bothIn } = scenario(87, {});
    const strangerHost = net.addHost('stranger', { addresses: ['198.51.100.66'] });
    const stranger = new Stranger();
    const from = socketAddress('198.51.100.66', 5000);
    net.attach(strangerHost, stranger, { addresses: [from], name: 'stranger' });
    // Before any check, during checking and after completion.
    stranger.send(from, b.local, 3);
    start();
    net.runFor(60);
    stranger.send(from, b.local, 3);
    expect(net.runUntil(bothIn('completed'), 20_000)).toBe(true);
    stranger.send(from, b.local, 3);
    net.runFor(500);
    expect(b.received().filter((d) => (d[1] ?? 0) >= 200)).toEqual([]);
    expect(b.agent.drops.get('data-unknown-source')).toBe(9);
  });
});
