import type { Datagram, DatagramEndpoint, SocketAddress } from '@rtcwire/common';
import { socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';

/** Sends a ping every `periodMs` from its own timer and echoes what it receives as an event. */
class Pinger implements DatagramEndpoint<string> {
  private next = 0;
  private readonly out: Datagram[] = [];
  private readonly events: string[] = [];
  constructor(
    private readonly local: SocketAddress,
    private readonly peer: SocketAddress,
    private readonly periodMs: number,
  ) {}
  handleDatagram(now: number, d: Datagram): void {
    this.events.push(`${now}:${d.data[0]}`);
  }
  handleTimeout(now: number): void {
    while (this.next <= now) {
      this.out.push({ local: this.local, remote: this.peer, data: Uint8Array.of(this.next / this.periodMs) });
      this.next += this.periodMs;
    }
  }
  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }
  pollEvent(): string | undefined {
    return this.events.shift();
  }
  pollTimeout(): number {
    return this.next;
  }
}

function pair(seed: number) {
  const net = new Network({ seed });
  const a = socketAddress('192.0.2.1', 1);
  const b = socketAddress('192.0.2.2', 2);
  const ha = net.addHost('a', { addresses: [a.address], link: { latencyMs: 25, jitterMs: 10, loss: 0.05 } });
  const hb = net.addHost('b', { addresses: [b.address], link: { latencyMs: 5 } });
  const attA = net.attach(ha, new Pinger(a, b, 20), { addresses: [a] });
  const attB = net.attach(hb, new Pinger(b, a, 20), { addresses: [b] });
  return { net, attA, attB };
}

describe('Network.runUntil', () => {
  it('wakes endpoints at their deadlines and runs 30 simulated seconds', () => {
    const { net, attA, attB } = pair(1);
    net.runUntil(30_000);
    expect(net.now).toBe(30_000);
    expect(attA.sent).toBe(1501);
    expect(attB.sent).toBe(1501);
    expect(net.stats.sent).toBe(3002);
    expect(attA.events.length + attB.events.length).toBe(net.stats.delivered);
    expect(attA.staleDeadlines + attB.staleDeadlines).toBe(0);
    // Only the last pings of each side can still be on the wire.
    expect(countInFlight(net)).toBeGreaterThan(0);
    expect(countInFlight(net)).toBeLessThanOrEqual(4);
  });

  it('stops as soon as a predicate holds', () => {
    const { net, attB } = pair(2);
    expect(net.runUntil(() => attB.events.length >= 10)).toBe(true);
    expect(attB.events).toHaveLength(10);
    expect(net.now).toBeLessThan(1000);
  });

  it('returns false when the limit passes first', () => {
    const { net } = pair(3);
    expect(net.runUntil(() => false, 500)).toBe(false);
    expect(net.now).toBe(500);
  });

  it('aborts instead of spinning when an endpoint keeps asking for the current instant', () => {
    const net = new Network({ seed: 1, maxStepsPerInstant: 50 });
    const h = net.addHost('h', { addresses: ['192.0.2.9'] });
    const stuck: DatagramEndpoint<never> = {
      handleDatagram() {},
      handleTimeout() {},
      pollTransmit: () => undefined,
      pollEvent: () => undefined,
      pollTimeout: () => 5,
    };
    const att = net.attach(h, stuck);
    expect(() => net.runUntil(100)).toThrow(/no progress/);
    expect(att.staleDeadlines).toBeGreaterThan(0);
  });
});

/** Datagrams sent but neither delivered nor dropped yet (at most the last few ms of pings). */
function countInFlight(net: Network): number {
  return net.stats.sent - net.stats.delivered - net.stats.dropped.total;
}
