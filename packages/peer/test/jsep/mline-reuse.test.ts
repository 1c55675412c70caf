import { seededRandom, socketAddress } from '@rtcwire/common';
import { bundleMids, isRejected, mediaMid, parseSdp, type SessionDescription, writeSdp } from '@rtcwire/sdp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PeerConnectionCore } from '../../src/index.js';
import { certificates } from '../sim/two-peers.js';
import { chromeOffer } from './fixtures.js';

// RFC 9429 §5.2.2 / §5.10 and W3C webrtc-pc §4.4.1.6: a stopped transceiver leaves the set once its
// rejection is negotiated, and a new transceiver recycles its m= line (same index, new mid) — whoever offers.

let seed = 1;
async function core(): Promise<PeerConnectionCore> {
  const [cert] = await certificates();
  return new PeerConnectionCore({
    random: seededRandom(seed++),
    certificate: cert,
    localAddresses: [socketAddress('10.0.0.1', 5000 + seed)],
    wallClockMs: (now) => now,
  });
}

/** `offerer` offers, `answerer` answers; returns both SDPs parsed. */
function exchange(offerer: PeerConnectionCore, answerer: PeerConnectionCore) {
  const offer = offerer.createOffer();
  offerer.setLocalDescription(0, 'offer', offer);
  answerer.setRemoteDescription(0, 'offer', offer);
  const answer = answerer.createAnswer();
  answerer.setLocalDescription(0, 'answer', answer);
  offerer.setRemoteDescription(0, 'answer', answer);
  return { offer: parseSdp(offer), answer: parseSdp(answer) };
}

const lines = (d: SessionDescription) => d.media.map((m) => `${m.kind}:${mediaMid(m)}:${m.port === 0 ? 0 : 'on'}`);

describe('m= line reuse (RFC 9429 §5.2.2)', () => {
  beforeAll(async () => {
    await certificates();
  });

  it('a stopped transceiver leaves getTransceivers() once the rejection is negotiated, then its line is recycled', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('audio');
    const video = a.addTransceiver('video');
    exchange(a, b);
    expect(a.getTransceivers()).toHaveLength(2);
    expect(b.getTransceivers().map((t) => t.mid)).toEqual(['0', '1']);

    video.stopped = true;
    video.direction = 'inactive';
    // Stopped but not yet negotiated: still in the set.
    expect(a.getTransceivers()).toContain(video);
    const second = exchange(a, b);
    expect(lines(second.offer)).toEqual(['audio:0:on', 'video:1:0']);
    expect(lines(second.answer)).toEqual(['audio:0:on', 'video:1:0']);
    expect(bundleMids(second.answer)).toEqual(['0']);
    expect(a.getTransceivers()).not.toContain(video);
    expect(a.isTransceiverRemoved(video.id)).toBe(true);
    expect(b.getTransceivers().map((t) => t.mid)).toEqual(['0']);

    // A new transceiver of another kind takes index 1 with a fresh mid.
    const added = a.addTransceiver('audio');
    const third = exchange(a, b);
    expect(lines(third.offer)).toEqual(['audio:0:on', 'audio:2:on']);
    expect(lines(third.answer)).toEqual(['audio:0:on', 'audio:2:on']);
    expect(bundleMids(third.offer)).toEqual(['0', '2']);
    expect(added.mid).toBe('2');
    expect(added.mLineIndex).toBe(1);
    expect(added.currentDirection).toBe('sendonly'); // b made a recvonly transceiver for it
    expect(video.mLineIndex).toBeNull();
    // The answerer associated a new transceiver with the recycled line; its old one let go of it.
    const bLine1 = b.getTransceivers().find((t) => t.mLineIndex === 1);
    expect(bLine1?.mid).toBe('2');
    expect(bLine1?.kind).toBe('audio');
    expect(b.transceivers.filter((t) => t.mLineIndex === 1)).toHaveLength(1);
    expect(b.transceivers.find((t) => t.mid === '1')?.mLineIndex).toBeNull();
  });

  it('appends instead while the stop is not yet negotiated', async () => {
    const a = await core();
    const b = await core();
    const video = a.addTransceiver('video');
    a.addTransceiver('video');
    exchange(a, b);
    video.stopped = true;
    a.addTransceiver('video');
    const { offer, answer } = exchange(a, b);
    expect(lines(offer)).toEqual(['video:0:0', 'video:1:on', 'video:2:on']);
    expect(lines(answer)).toEqual(['video:0:0', 'video:1:on', 'video:2:on']);
    // The BUNDLE tag moved to the first accepted line (RFC 8843 §7.5.1: the offerer picks the tag).
    expect(bundleMids(offer)).toEqual(['1', '2']);
  });

  it('the answerer recycles too when it offers next, and the first offerer associates the new line', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('video');
    a.addTransceiver('video');
    exchange(a, b);
    const bSecond = b.getTransceivers().find((t) => t.mid === '1');
    if (!bSecond) throw new Error('no transceiver for mid 1');
    bSecond.stopped = true;
    exchange(b, a);
    expect(a.getTransceivers().map((t) => t.mid)).toEqual(['0']);
    const fresh = b.addTransceiver('video', { direction: 'sendonly' });
    const { offer, answer } = exchange(b, a);
    expect(lines(offer)).toEqual(['video:0:on', 'video:2:on']);
    expect(lines(answer)).toEqual(['video:0:on', 'video:2:on']);
    expect(fresh.mLineIndex).toBe(1);
    const aLine1 = a.getTransceivers().find((t) => t.mLineIndex === 1);
    expect(aLine1?.mid).toBe('2');
    expect(aLine1?.currentDirection).toBe('recvonly');
  });

  it('recycling line 0 after the tag moved puts the recycled line first in the group; the answer follows', async () => {
    const a = await core();
    const b = await core();
    const first = a.addTransceiver('video');
    a.addTransceiver('video');
    exchange(a, b);
    first.stopped = true;
    const moved = exchange(a, b);
    expect(bundleMids(moved.offer)).toEqual(['1']);
    a.addTransceiver('audio');
    const { offer, answer } = exchange(a, b);
    expect(lines(offer)).toEqual(['audio:2:on', 'video:1:on']);
    // m= line order, as Chromium writes it (the tag moves to mid 2, and with it the transport).
    expect(bundleMids(offer)).toEqual(['2', '1']);
    expect(bundleMids(answer)).toEqual(['2', '1']);
  });

  it('an answer keeps the offer’s BUNDLE tag first, whatever the m= line order (RFC 9143 §7.3.1)', async () => {
    const a = await core();
    const offer = chromeOffer('chrome-156-offer');
    const text = writeSdp(offer);
    expect(text).toContain('a=group:BUNDLE 0 1\r\n');
    a.setRemoteDescription(0, 'offer', text.replace('a=group:BUNDLE 0 1', 'a=group:BUNDLE 1 0'));
    expect(bundleMids(parseSdp(a.createAnswer()))).toEqual(['1', '0']);
  });

  it('a stopped transceiver that was never negotiated is not offered and leaves the set', async () => {
    const a = await core();
    const b = await core();
    a.addTransceiver('audio');
    const never = a.addTransceiver('video');
    never.stopped = true;
    const { offer } = exchange(a, b);
    expect(lines(offer)).toEqual(['audio:0:on']);
    expect(a.getTransceivers()).not.toContain(never);
  });

  it('keeps a line it rejected without a transceiver (a data channel) and recycles it for a new track', async () => {
    const a = await core();
    const offer = chromeOffer('chrome-156-offer');
    offer.media.push({
      kind: 'application',
      port: 9,
      protocol: 'UDP/DTLS/SCTP',
      formats: ['webrtc-datachannel'],
      connection: { netType: 'IN', addressType: 'IP4', address: '0.0.0.0' },
      lines: [],
      attributes: [
        ...(offer.media[0]?.attributes.filter((x) => /^(ice-|fingerprint|setup)/.test(x.name)) ?? []),
        { name: 'mid', value: '2' },
      ],
    });
    a.setRemoteDescription(0, 'offer', writeSdp(offer));
    const answer = parseSdp(a.createAnswer());
    a.setLocalDescription(0, 'answer', writeSdp(answer));
    expect(lines(answer)).toEqual(['audio:0:on', 'video:1:on', 'application:2:0']);
    // Our next offer keeps all three lines; a new video transceiver recycles index 2 with a fresh mid.
    a.addTransceiver('video', { direction: 'sendonly' });
    const reoffer = parseSdp(a.createOffer());
    expect(lines(reoffer)).toEqual(['audio:0:on', 'video:1:on', 'video:3:on']);
    expect(bundleMids(reoffer)).toEqual(['0', '1', '3']);
    expect(reoffer.media.every((m) => !isRejected(m))).toBe(true);
  });
});
