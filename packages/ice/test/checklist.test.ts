import { seededRandom, socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { LocalCandidates } from '../src/candidate-sets.js';
import { candidatePriority, type IceCandidate } from '../src/candidate.js';
import { Checklist } from '../src/checklist.js';
import { ConsentTracker } from '../src/consent.js';

const locals = new LocalCandidates();
const hostA = locals.create({
  type: 'host',
  address: socketAddress('10.0.0.1', 1),
  base: socketAddress('10.0.0.1', 1),
  localPreference: 65535,
  ufrag: 'u',
});
const hostB = locals.create({
  type: 'host',
  address: socketAddress('10.0.0.2', 2),
  base: socketAddress('10.0.0.2', 2),
  localPreference: 65534,
  ufrag: 'u',
});

function remote(foundation: string, address: string, type: IceCandidate['type'] = 'host'): IceCandidate {
  return {
    foundation,
    component: 1,
    protocol: 'udp',
    priority: candidatePriority(type, 65535),
    address,
    port: 9,
    type,
  };
}

describe('Checklist', () => {
  it('gives distinct host bases distinct foundations and the same base the same one', () => {
    expect(hostA.candidate.foundation).not.toBe(hostB.candidate.foundation);
    const again = locals.create({
      type: 'host',
      address: socketAddress('10.0.0.1', 7),
      base: socketAddress('10.0.0.1', 7),
      localPreference: 1,
      ufrag: 'u',
    });
    expect(again.candidate.foundation).toBe(hostA.candidate.foundation);
    const srflx = locals.create({
      type: 'srflx',
      address: socketAddress('192.0.2.1', 7),
      base: hostA.base,
      localPreference: 1,
      ufrag: 'u',
      server: socketAddress('198.51.100.1', 3478),
    });
    expect(srflx.candidate.foundation).not.toBe(hostA.candidate.foundation);
    expect(srflx.candidate).toMatchObject({ relatedAddress: '10.0.0.1', relatedPort: 1 });
  });

  it('starts one pair per foundation Waiting and freezes the rest (§6.1.2.6), highest priority first', () => {
    const c = new Checklist();
    const r1 = remote('r1', '192.0.2.10');
    const r2 = remote('r1', '192.0.2.11');
    const p1 = c.add(hostA, r1, socketAddress(r1.address, 9), true);
    const p2 = c.add(hostA, r2, socketAddress(r2.address, 9), true);
    const p3 = c.add(hostB, r1, socketAddress(r1.address, 9), true);
    expect([p1?.state, p2?.state, p3?.state]).toEqual(['waiting', 'frozen', 'waiting']);
    expect(c.pairs[0]).toBe(p1);
    // Redundant pair (same base and remote address) is refused (§6.1.2.4).
    expect(c.add(hostA, r1, socketAddress(r1.address, 9), true)).toBeUndefined();
    // Ordinary checks take Waiting pairs first; a success unfreezes the same foundation.
    expect(c.nextOrdinary()).toBe(p1);
    (p1 as NonNullable<typeof p1>).state = 'succeeded';
    c.unfreezeFoundation((p1 as NonNullable<typeof p1>).foundation);
    expect(p2?.state).toBe('waiting');
    expect(c.bestValid()).toBe(p1);
  });

  it('unfreezes a pair when nothing of its foundation is active (§6.1.4.2)', () => {
    const c = new Checklist();
    const r = remote('x', '192.0.2.20');
    const p1 = c.add(hostA, r, socketAddress(r.address, 9), true);
    const p2 = c.add(hostA, remote('x', '192.0.2.21'), socketAddress('192.0.2.21', 9), true);
    expect(p2?.state).toBe('frozen');
    (p1 as NonNullable<typeof p1>).state = 'failed';
    expect(c.hasOrdinaryWork()).toBe(true);
    expect(c.nextOrdinary()).toBe(p2);
    expect(p2?.state).toBe('waiting');
  });

  it('reorders pairs when the role flips', () => {
    const c = new Checklist();
    const low = remote('l', '192.0.2.30', 'relay');
    const p = c.add(hostA, low, socketAddress(low.address, 9), true);
    const before = p?.priority;
    c.recomputePriorities(false);
    expect(p?.priority).not.toBe(before);
  });

  it('keeps at most maxPairs pairs, dropping the lowest priority', () => {
    const c = new Checklist(2);
    c.add(hostA, remote('a', '192.0.2.40'), socketAddress('192.0.2.40', 9), true);
    c.add(hostA, remote('b', '192.0.2.41', 'relay'), socketAddress('192.0.2.41', 9), true);
    const kept = c.add(hostA, remote('c', '192.0.2.42', 'srflx'), socketAddress('192.0.2.42', 9), true);
    expect(kept).toBeDefined();
    expect(c.pairs.map((p) => p.remote.type)).toEqual(['host', 'srflx']);
    expect(c.add(hostA, remote('d', '192.0.2.43', 'relay'), socketAddress('192.0.2.43', 9), true)).toBeUndefined();
  });
});

describe('ConsentTracker (RFC 7675)', () => {
  it('schedules randomized checks and walks fresh → stale → expired', () => {
    const t = new ConsentTracker(seededRandom(3), 5000, 8000, 30_000);
    t.start(1000);
    const next = t.nextCheckMs as number;
    expect(next).toBeGreaterThanOrEqual(1000 + 4000);
    expect(next).toBeLessThanOrEqual(1000 + 6000);
    expect(t.status(8999)).toBe('fresh');
    expect(t.status(9000)).toBe('stale');
    t.refreshed(9500);
    expect(t.status(9500)).toBe('fresh');
    expect(t.nextDeadline(9500)).toBeLessThanOrEqual(9500 + 8000);
    expect(t.status(39_500)).toBe('expired');
    // Expiry is final: late responses do not revive consent.
    t.refreshed(39_600);
    expect(t.status(39_600)).toBe('expired');
    expect(t.nextDeadline(39_600)).toBeUndefined();
  });
});
