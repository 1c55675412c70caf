import { socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import type { LinkConfig } from '../src/index.js';
import { Network } from '../src/index.js';
import { Probe, seqOf, seqPayload } from './probe.js';

const A = socketAddress('192.0.2.1', 1000);
const B = socketAddress('198.51.100.1', 2000);

/** Two public hosts; `count` datagrams from A to B, one every `intervalMs`. */
function run(link: LinkConfig, count: number, seed = 1, intervalMs = 10, size = 4) {
  const net = new Network({ seed });
  const ha = net.addHost('a', { addresses: [A.address], link });
  const hb = net.addHost('b', { addresses: [B.address] });
  const pa = new Probe();
  const pb = new Probe();
  net.attach(ha, pa, { addresses: [A] });
  net.attach(hb, pb, { addresses: [B] });
  for (let i = 0; i < count; i++) net.schedule(i * intervalMs, () => pa.send(A, B, seqPayload(i, size)));
  net.runUntil(count * intervalMs + 10_000);
  return { net, received: pb.received };
}

describe('link impairments', () => {
  it('delivers after the sum of both links latencies, with the translated source', () => {
    const net = new Network({ seed: 1 });
    const ha = net.addHost('a', { addresses: [A.address], link: { latencyMs: 30 } });
    const hb = net.addHost('b', { addresses: [B.address], link: { latencyMs: 20 } });
    const pa = new Probe();
    const pb = new Probe();
    net.attach(ha, pa, { addresses: [A] });
    net.attach(hb, pb, { addresses: [B] });
    net.schedule(5, () => pa.send(A, B, seqPayload(7)));
    net.runUntil(1000);
    expect(pb.received).toHaveLength(1);
    expect(pb.received[0]?.atMs).toBe(55);
    expect(pb.received[0]?.datagram.remote).toEqual(A);
    expect(pb.received[0]?.datagram.local).toEqual(B);
    expect(net.stats).toMatchObject({ sent: 1, delivered: 1 });
  });

  it('keeps order without jitter and reorders with large jitter', () => {
    const calm = run({ latencyMs: 50 }, 200).received.map((r) => seqOf(r.datagram));
    expect(calm).toEqual([...Array(200).keys()]);
    const shaky = run({ latencyMs: 50, jitterMs: 100 }, 200).received.map((r) => seqOf(r.datagram));
    expect(shaky).toHaveLength(200);
    expect(shaky).not.toEqual([...Array(200).keys()]);
    expect([...shaky].sort((x, y) => x - y)).toEqual([...Array(200).keys()]);
  });

  it('uniform loss drops about the configured share and counts every drop', () => {
    const { net, received } = run({ loss: 0.3 }, 10_000);
    const lost = 10_000 - received.length;
    expect(lost).toBeGreaterThan(2700);
    expect(lost).toBeLessThan(3300);
    expect(net.stats.dropped.get('loss')).toBe(lost);
    expect(net.stats.delivered).toBe(received.length);
  });

  it('Gilbert–Elliott loss comes in bursts', () => {
    const { net, received } = run({ burst: { pGoodToBad: 0.02, pBadToGood: 0.25 } }, 20_000);
    const got = new Set(received.map((r) => seqOf(r.datagram)));
    const runs: number[] = [];
    let current = 0;
    for (let i = 0; i < 20_000; i++) {
      if (!got.has(i)) current++;
      else if (current > 0) {
        runs.push(current);
        current = 0;
      }
    }
    const meanBurst = runs.reduce((s, v) => s + v, 0) / runs.length;
    // Expected mean burst length is 1 / pBadToGood = 4; uniform loss of the same rate gives ~1.
    expect(meanBurst).toBeGreaterThan(3);
    expect(meanBurst).toBeLessThan(5);
    expect(net.stats.dropped.get('burst-loss')).toBe(20_000 - received.length);
  });

  it('duplicates datagrams and counts the copies', () => {
    const { net, received } = run({ duplicate: 0.2 }, 1000);
    const extra = received.length - 1000;
    expect(extra).toBeGreaterThan(140);
    expect(extra).toBeLessThan(260);
    expect(net.stats.duplicated).toBe(extra);
    expect(new Set(received.map((r) => seqOf(r.datagram))).size).toBe(1000);
  });

  it('reorders a share of datagrams by holding them back', () => {
    const { received } = run({ latencyMs: 10, reorder: 0.1, reorderDelayMs: 25 }, 500);
    const seqs = received.map((r) => seqOf(r.datagram));
    let inversions = 0;
    for (let i = 1; i < seqs.length; i++) if ((seqs[i] as number) < (seqs[i - 1] as number)) inversions++;
    expect(seqs).toHaveLength(500);
    expect(inversions).toBeGreaterThan(20);
    expect(inversions).toBeLessThan(80);
  });

  it('drops datagrams larger than the MTU', () => {
    const fits = run({ mtu: 1500 }, 5, 1, 10, 1472);
    expect(fits.received).toHaveLength(5);
    const tooBig = run({ mtu: 1500 }, 5, 1, 10, 1473);
    expect(tooBig.received).toHaveLength(0);
    expect(tooBig.net.stats.dropped.get('mtu')).toBe(5);
  });

  it('is reproducible from the seed', () => {
    const trace = (seed: number) =>
      run({ latencyMs: 20, jitterMs: 40, loss: 0.1, duplicate: 0.05 }, 300, seed).received.map(
        (r) => `${r.atMs}:${seqOf(r.datagram)}`,
      );
    expect(trace(42)).toEqual(trace(42));
    expect(trace(42)).not.toEqual(trace(43));
  });

  it('drops datagrams to ports nobody listens on and from foreign source addresses', () => {
    const net = new Network({ seed: 1 });
    const ha = net.addHost('a', { addresses: [A.address] });
    net.addHost('b', { addresses: [B.address] });
    const pa = new Probe();
    net.attach(ha, pa, { addresses: [A] });
    pa.send(A, socketAddress(B.address, 9), seqPayload(1));
    pa.send(B, A, seqPayload(2));
    pa.send(A, socketAddress('203.0.113.99', 9), seqPayload(3));
    net.runUntil(100);
    expect(net.stats.dropped.toJSON()).toEqual({ 'no-listener': 1, 'bad-source': 1, 'no-route': 1 });
  });
});
