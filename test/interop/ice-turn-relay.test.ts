import { socketAddress } from '@rtcwire/common';
import type { IceEvent } from '@rtcwire/ice';
import { NodeIceAgent } from '@rtcwire/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Coturn, startCoturn } from './harness/coturn.js';

// Two rtcwire ICE agents that can only reach each other through coturn. Each signals only its relay
// candidate. Their host sockets sit on 127.0.0.2 and 127.0.0.3 while the relays live on 127.0.0.1:
// TURN permissions are per IP (RFC 8656 §9), so a check sent straight from a host socket to the
// other side's relayed address is dropped by the server — only relay↔relay pairs can succeed.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe('ICE through a TURN relay (coturn)', () => {
  let turn: Coturn;
  beforeAll(async () => {
    turn = await startCoturn();
  });
  afterAll(async () => {
    await turn?.stop();
  });

  async function agent(controlling: boolean, host: string) {
    const a = await NodeIceAgent.create({
      controlling,
      addresses: [host],
      turnServers: [{ address: socketAddress('127.0.0.1', turn.port), username: turn.user, password: turn.pass }],
    });
    closers.push(() => a.close());
    return a;
  }

  it('two agents connect relay-to-relay and exchange data both ways', async () => {
    const left = await agent(true, '127.0.0.2');
    const right = await agent(false, '127.0.0.3');
    const relayOnly = (from: NodeIceAgent, to: NodeIceAgent) =>
      from.driver.on('local-candidate', (e) => {
        if (e.candidate.type === 'relay') to.addRemoteCandidate(e.candidate);
      });
    relayOnly(left, right);
    relayOnly(right, left);
    left.setRemoteParameters(right.localParameters);
    right.setRemoteParameters(left.localParameters);

    const isFinal = (e: IceEvent) => e.type === 'state' && (e.state === 'connected' || e.state === 'failed');
    const leftState = left.driver.waitFor(isFinal);
    const rightState = right.driver.waitFor(isFinal);
    const gathered = Promise.all([
      left.driver.waitFor((e) => e.type === 'end-of-candidates'),
      right.driver.waitFor((e) => e.type === 'end-of-candidates'),
    ]);
    left.gather();
    right.gather();
    await gathered;
    expect(left.agent.localCandidates.map((c) => c.type).sort()).toEqual(['host', 'relay']);
    expect(await leftState).toEqual({ type: 'state', state: 'connected' });
    expect(await rightState).toEqual({ type: 'state', state: 'connected' });

    for (const side of [left, right]) {
      const pair = side.agent.selectedPair;
      expect(pair?.local.type).toBe('relay');
      expect(pair?.remote.type).toBe('relay');
      expect(pair?.remote.address).toBe('127.0.0.1');
    }

    const atRight = right.driver.waitFor((e) => e.type === 'data');
    const atLeft = left.driver.waitFor((e) => e.type === 'data');
    expect(left.send(new TextEncoder().encode('left to right'))).toBe(true);
    expect(right.send(new TextEncoder().encode('right to left'))).toBe(true);
    const r = await atRight;
    const l = await atLeft;
    expect(new TextDecoder().decode(r.type === 'data' ? r.data : undefined)).toBe('left to right');
    expect(new TextDecoder().decode(l.type === 'data' ? l.data : undefined)).toBe('right to left');
    for (const side of [left, right]) expect(side.driver.drops.toJSON()).toEqual({});
  });
});
