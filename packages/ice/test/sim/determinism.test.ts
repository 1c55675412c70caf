import { describe, expect, it } from 'vitest';
import { twoAgents } from './harness.js';

/** Every event of both agents and the network counters, as one comparable trace. */
function trace(seed: number): string[] {
  const { net, a, b, start } = twoAgents({
    seed,
    a: { nat: { type: 'port-restricted' }, link: { latencyMs: 25, jitterMs: 20, loss: 0.1 } },
    b: { nat: { type: 'full-cone' }, link: { latencyMs: 15, jitterMs: 10, duplicate: 0.05 } },
  });
  start();
  net.runUntil(20_000);
  const events = [...a.att.events.map((e) => ['a', e] as const), ...b.att.events.map((e) => ['b', e] as const)].map(
    ([side, e]) =>
      `${side}@${e.atMs.toFixed(3)} ${JSON.stringify(e.event, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
  );
  return [...events, JSON.stringify({ ...net.stats, dropped: net.stats.dropped.toJSON() })];
}

describe('reproducibility', () => {
  it('the same seed gives the same run, another seed a different one', () => {
    const first = trace(7);
    expect(trace(7)).toEqual(first);
    expect(trace(8)).not.toEqual(first);
    expect(first.some((line) => line.includes('"state":"completed"'))).toBe(true);
  });
});
