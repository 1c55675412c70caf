import { describe, expect, it } from 'vitest';
import { pairPriority } from '../src/index.js';
import { stateSteps } from '../src/state.js';

describe('pair priority (RFC 8445 §6.1.2.3)', () => {
  it('computes 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D?1:0) from the controlling side', () => {
    const g = 2130706431;
    const d = 1694498815;
    const expected = (BigInt(d) << 32n) + 2n * BigInt(g) + 1n;
    expect(pairPriority(true, g, d)).toBe(expected);
    // The controlled agent computes the same value with the roles of its candidates swapped.
    expect(pairPriority(false, d, g)).toBe(expected);
    expect(pairPriority(false, g, d)).toBe((BigInt(d) << 32n) + 2n * BigInt(g));
  });

  it('orders host/host above srflx/host above relay/relay', () => {
    const host = 2130706431;
    const srflx = 1694498815;
    const relay = 16777215;
    expect(pairPriority(true, host, host)).toBeGreaterThan(pairPriority(true, srflx, host));
    expect(pairPriority(true, srflx, host)).toBeGreaterThan(pairPriority(true, relay, relay));
  });
});

describe('W3C state steps', () => {
  it('never skips checking/connected on the way up, and goes straight elsewhere', () => {
    expect(stateSteps('new', 'completed')).toEqual(['checking', 'connected', 'completed']);
    expect(stateSteps('checking', 'connected')).toEqual(['connected']);
    expect(stateSteps('completed', 'connected')).toEqual(['connected']);
    expect(stateSteps('disconnected', 'completed')).toEqual(['completed']);
    expect(stateSteps('connected', 'failed')).toEqual(['failed']);
    expect(stateSteps('failed', 'failed')).toEqual([]);
  });
});
