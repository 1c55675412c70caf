import { describe, expect, it } from 'vitest';
import { pairPriority } from '../src/index.js';

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
