import { parseCandidate } from '@rtcwire/ice';
import { NodeIceAgent } from '@rtcwire/node';
import { Candidate, Connection } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';

// An rtcwire ICE agent (sans-IO IceAgent on @rtcwire/node sockets) against werift's ICE agent, both
// on 127.0.0.1 with no STUN/TURN servers. Candidates are exchanged directly (trickle), then each side
// sends one datagram on its selected pair and must receive the other's.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function connectPair(rtcwireControlling: boolean) {
  const ours = await NodeIceAgent.create({ controlling: rtcwireControlling, addresses: ['127.0.0.1'] });
  closers.push(() => ours.close());
  const theirs = new Connection(!rtcwireControlling, {
    useIpv4: true,
    useIpv6: false,
    interfaceAddresses: { udp4: '127.0.0.1' },
    additionalHostAddresses: ['127.0.0.1'],
  });
  closers.push(() => theirs.close());

  // werift → rtcwire: only its loopback candidate (its socket is bound to 127.0.0.1).
  theirs.onIceCandidate.subscribe((c) => {
    if (c.host === '127.0.0.1') ours.addRemoteCandidate(parseCandidate(c.toSdp()));
  });
  // rtcwire → werift.
  ours.driver.on('local-candidate', (e) => void theirs.addRemoteCandidate(Candidate.fromSdp(e.sdp)));

  const { usernameFragment, password } = ours.localParameters;
  theirs.setRemoteParams({ iceLite: false, usernameFragment, password });
  ours.setRemoteParameters({ usernameFragment: theirs.localUsername, password: theirs.localPassword });

  const oursConnected = ours.driver.waitFor(
    (e) => e.type === 'state' && (e.state === 'connected' || e.state === 'failed'),
  );
  ours.gather();
  await theirs.gatherCandidates();
  await theirs.addRemoteCandidate(undefined); // werift's end-of-candidates
  await theirs.connect();
  expect(['connected', 'completed']).toContain(theirs.state);
  expect(await oursConnected).toEqual({ type: 'state', state: 'connected' });
  return { ours, theirs };
}

async function exchange(ours: NodeIceAgent, theirs: Connection) {
  const atWerift = new Promise<Buffer>((resolve) => theirs.onData.subscribe((d) => resolve(d)));
  const atRtcwire = ours.driver.waitFor((e) => e.type === 'data');
  expect(ours.send(new TextEncoder().encode('from rtcwire'))).toBe(true);
  await theirs.send(Buffer.from('from werift'));
  expect((await atWerift).toString()).toBe('from rtcwire');
  const got = await atRtcwire;
  expect(Buffer.from(got.data).toString()).toBe('from werift');
  expect(got.from.address).toBe('127.0.0.1');
  // The agent always moved its deadline forward: the driver never had to back off a stale timer.
  expect(ours.driver.drops.toJSON()).toEqual({});
}

describe('ICE interop with werift on 127.0.0.1', () => {
  it('rtcwire controlling, werift controlled', async () => {
    const { ours, theirs } = await connectPair(true);
    expect(ours.agent.selectedPair?.remote.address).toBe('127.0.0.1');
    await exchange(ours, theirs);
  });

  it('rtcwire controlled, werift controlling', async () => {
    const { ours, theirs } = await connectPair(false);
    expect(theirs.nominated).toBeDefined();
    await exchange(ours, theirs);
  });
});
