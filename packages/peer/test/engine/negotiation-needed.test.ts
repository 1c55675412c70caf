import { seededRandom, socketAddress } from '@rtcwire/common';
import { parseSdp, type SessionDescription } from '@rtcwire/sdp';
import { beforeAll, describe, expect, it } from 'vitest';
import { isNegotiationNeeded, PeerConnectionCore } from '../../src/index.js';
import { certificates } from '../sim/two-peers.js';

// W3C webrtc-pc §4.7.3 "check if negotiation is needed", evaluated on the state two real engines reach
// through offer/answer.

let seed = 100;
async function core(): Promise<PeerConnectionCore> {
  const [cert] = await certificates();
  return new PeerConnectionCore({
    random: seededRandom(seed++),
    certificate: cert,
    localAddresses: [socketAddress('10.0.0.1', 6000 + seed)],
    wallClockMs: (now) => now,
  });
}

function exchange(offerer: PeerConnectionCore, answerer: PeerConnectionCore): void {
  const offer = offerer.createOffer();
  offerer.setLocalDescription(0, 'offer', offer);
  answerer.setRemoteDescription(0, 'offer', offer);
  const answer = answerer.createAnswer();
  answerer.setLocalDescription(0, 'answer', answer);
  offerer.setRemoteDescription(0, 'answer', answer);
}

const parsed = (sdp: string | undefined): SessionDescription | undefined => (sdp ? parseSdp(sdp) : undefined);

/** The check as the facade runs it: `role` is which side `c` took in the last negotiation. */
function needed(c: PeerConnectionCore, role: 'offer' | 'answer', iceRestartPending = false): boolean {
  return isNegotiationNeeded(
    c.getTransceivers(),
    parsed(c.currentLocalDescription),
    parsed(c.currentRemoteDescription),
    { localType: role, iceRestartPending },
  );
}

describe('isNegotiationNeeded (webrtc-pc §4.7.3)', () => {
  beforeAll(async () => {
    await certificates();
  });

  it('nothing to negotiate with no transceivers and no description', () => {
    expect(isNegotiationNeeded([], undefined, undefined)).toBe(false);
  });

  it('a transceiver without an m= line needs negotiation until an offer/answer gives it one', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('video', { streamIds: ['s'] });
    expect(needed(a, 'offer')).toBe(true);
    exchange(a, b);
    expect(needed(a, 'offer')).toBe(false);
    // b made a recvonly transceiver for it and answered recvonly: nothing to do either.
    expect(needed(b, 'answer')).toBe(false);
    a.addTransceiver('audio');
    expect(needed(a, 'offer')).toBe(true);
  });

  it('a pending ICE restart needs negotiation', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('audio');
    exchange(a, b);
    expect(needed(a, 'offer', true)).toBe(true);
    expect(needed(a, 'offer', false)).toBe(false);
  });

  it('a stopped transceiver needs negotiation until its rejection is negotiated', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('audio');
    const video = a.addTransceiver('video');
    exchange(a, b);
    video.stopped = true;
    video.direction = 'inactive';
    expect(needed(a, 'offer')).toBe(true);
    exchange(a, b);
    expect(needed(a, 'offer')).toBe(false);
    expect(needed(b, 'answer')).toBe(false);
  });

  it('a transceiver stopped before it ever had an m= line needs nothing', async () => {
    const a = await core();
    const t = a.addTransceiver('audio');
    t.stopped = true;
    t.direction = 'inactive';
    expect(needed(a, 'offer')).toBe(false);
  });

  it('offerer: a direction that neither the offer nor the answer shows needs negotiation', async () => {
    const a = await core();
    const b = await core();
    const t = a.addTransceiver('video', { direction: 'sendrecv' });
    exchange(a, b); // a offers sendrecv, b answers recvonly (its transceiver is recvonly)
    expect(needed(a, 'offer')).toBe(false);
    // The answer's direction seen from a is sendonly: matching it needs no new offer.
    t.direction = 'sendonly';
    expect(needed(a, 'offer')).toBe(false);
    t.direction = 'recvonly';
    expect(needed(a, 'offer')).toBe(true);
    t.direction = 'inactive';
    expect(needed(a, 'offer')).toBe(true);
  });

  it('answerer: the answer must equal our direction intersected with the offered one', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('video', { direction: 'sendonly' });
    exchange(a, b);
    const [bt] = b.getTransceivers();
    expect(bt?.direction).toBe('recvonly');
    expect(needed(b, 'answer')).toBe(false);
    // a offered sendonly: sendrecv ∩ (recvonly from our side) is still recvonly, the answer already says so.
    bt!.direction = 'sendrecv';
    expect(needed(b, 'answer')).toBe(true); // but now we send: the answer has no a=msid (step 5.3.1)
    bt!.direction = 'inactive';
    expect(needed(b, 'answer')).toBe(true);
  });

  it('answerer: accepting a sendrecv offer with a recvonly transceiver, then wanting to send', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('audio', { direction: 'sendrecv' });
    exchange(a, b);
    const [bt] = b.getTransceivers();
    expect(needed(b, 'answer')).toBe(false);
    bt!.direction = 'sendrecv';
    expect(needed(b, 'answer')).toBe(true);
    exchange(b, a); // b offers now
    expect(needed(b, 'offer')).toBe(false);
    expect(needed(a, 'answer')).toBe(false);
  });

  it('a sending transceiver whose stream id differs from the a=msid of its line needs negotiation', async () => {
    const a = await core();
    const b = await core();
    const t = a.addTransceiver('audio', { streamIds: ['one'] });
    exchange(a, b);
    expect(needed(a, 'offer')).toBe(false);
    t.sender.streamIds = ['two'];
    expect(needed(a, 'offer')).toBe(true);
  });
});
