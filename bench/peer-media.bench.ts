/**
 * The peer engine's media path end to end, packets/s: two `PeerConnectionCore`s (sans-IO, from
 * `@rtcwire/peer`) joined in memory by a tiny discrete-event driver — datagrams of one go to
 * `handleDatagram` of the other (addresses swapped) after a fixed one-way delay, `handleTimeout`
 * runs when `pollTimeout()` is due, the clock is simulated (no real timers). a offers sendonly video
 * + audio, b answers (recvonly); ICE, DTLS and DTLS-SRTP run for real (AEAD_AES_128_GCM is
 * negotiated). Then a sends video: 30 fps, 1,200-byte payloads, 6–14 packets a frame and 40 for a
 * keyframe every 3 s (~310 packets/s, as bench/rtp-session.bench.ts), over a 20 ms one-way link.
 *
 * - `peer-media-send-video`: per packet `a.sendRtp` (numbering, MID / abs-send-time / transport-cc
 *   header extensions, packet history for NACK, BWE bookkeeping, encode) + draining
 *   `a.pollTransmit()` (SRTP protect, ICE send) + `a.pollTimeout()`; a's own timers (SR, consent)
 *   when due. b's side of each round (and a's handling of b's answers) runs untimed in `setup`.
 *   werift: `RTCRtpSender.sendRtp` on a fresh `RtpPacket` per packet, to a stand-in DTLS transport
 *   that SRTP-encrypts as werift's does (it stops before werift's ICE socket), continuations awaited.
 * - `peer-media-receive-video`: per datagram of a's `b.handleDatagram` (ICE demux, SRTP unprotect,
 *   RTP parse, routing, RTX receiver, receive statistics, NACK generator, TWCC recording) + draining
 *   `b.pollEvent()` (the `rtp` event) and `b.pollTransmit()` + `b.pollTimeout()`, with b's timers
 *   (transport-cc feedback every 50 ms, RR + XR, consent) when due. a's sends of the round are
 *   generated untimed in `setup` (SRTP's replay window lets each datagram in only once). werift gets
 *   copies of the same datagrams: STUN check, `isMedia`/`isRtcp`, SRTP/SRTCP decrypt, parse,
 *   `RtpRouter` → `RTCRtpReceiver` (statistics, TWCC feedback every 11 packets encrypted, RTX
 *   unwrap, NACK tracking, the track's `onReceiveRtp`), keyed with b's exported DTLS-SRTP keys.
 * - `peer-media-loop-video` / `-loss2` (rtcwire only): both engines, everything timed: a sends, the
 *   link delivers, b receives and answers; `-loss2` drops 2 % of a→b datagrams (seeded), so NACK →
 *   RTX runs. werift's peers are socket-bound and async: no in-process equivalent.
 *
 * Split rounds are ~2 s of simulated media on each of `PAIRS` independent pairs: what one side
 * produces reaches the other at the next untimed `setup`, up to that much late, which consent
 * freshness (5 s checks, 30 s expiry) tolerates (10 s rounds do not: the check below fails). Every
 * bench checks that b delivered every packet a sent (werift's chain too), exactly once.
 * PEER_MEDIA_BENCH=send,receive,loop,loss2 picks benches; PEER_MEDIA_ROUNDS / PEER_MEDIA_WARMUP
 * change the round counts (e.g. for a CPU profile: the timed parts are the functions `sendRound`,
 * `receiveRound`, `weriftSendRound`, `weriftReceiveRound`, `loopRound`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seededRandom } from '@rtcwire/common';
import { keyingMaterialLength, SRTP_PROFILES } from '@rtcwire/srtp';
import {
  isMedia,
  isRtcp,
  MediaStreamTrack,
  parseMessage,
  RTCRtpCodecParameters,
  RTCRtpReceiver,
  RTCRtpSender,
  RtcpPacketConverter,
  RtpHeader,
  RtpPacket,
  RtpRouter,
  SrtcpSession,
  SrtpSession,
  Event as WeriftEvent,
} from 'werift';
import { type Contender, clockName, compare, median, report } from './lib/measure.js';
import {
  advance,
  checkDelivered,
  connected,
  connectPair,
  deliver,
  LOOP_ROUND_PACKETS,
  PAIRS,
  PAYLOAD,
  type Pair,
  ROUND_PACKETS,
  ROUNDS,
  type Side,
  sink,
  VideoSource,
  WARMUP,
} from './lib/peer-pair.js';

// ---------------------------------------------------------------- the benches

const measure = { ops: PAIRS * ROUND_PACKETS, rounds: ROUNDS, warmupRounds: WARMUP };

// A full GC at the end of every setup, so that garbage made untimed (b's side of a send round, a's
// of a receive round) is not collected on the next contender's clock. The runner passes no
// --expose-gc; V8 accepts the flag at run time for contexts created afterwards.
setFlagsFromString('--expose-gc');
const settle = runInNewContext('gc') as () => void;

/** `compare()` for contenders whose round is async: werift's `sendRtp` finishes in promise continuations. */
async function compareAsync<K extends string>(
  contenders: Record<K, { setup?: () => void; run: (ops: number) => void | Promise<void> }>,
  options: { ops: number; rounds: number; warmupRounds: number },
): Promise<Record<K, number>> {
  const now = () => {
    if (clockName === 'wall') return performance.now();
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const names = Object.keys(contenders) as K[];
  const samples = new Map<K, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < options.warmupRounds + options.rounds; r++) {
    for (const k of r % 2 === 0 ? names : [...names].reverse()) {
      const c = contenders[k];
      c.setup?.();
      const t0 = now();
      await c.run(options.ops);
      const ms = now() - t0;
      if (r >= options.warmupRounds) samples.get(k)?.push((options.ops * 1000) / Math.max(ms, 1e-6));
    }
  }
  const out = {} as Record<K, number>;
  for (const k of names) out[k] = Math.round(median(samples.get(k) ?? []));
  return out;
}

/**
 * werift's send path for the same packets: `RTCRtpSender.sendRtp` (header rewrite, MID /
 * transport-cc / abs-send-time extensions, `rtpCache` for NACK, then its DTLS transport's `sendRtp`
 * = SRTP encrypt, and in the continuation `SenderBandwidthEstimator.rtpPacketSent`), configured with
 * a's negotiated codecs and extension ids. The stand-in transport encrypts as werift's does and
 * stops where werift hands the bytes to its ICE socket. Each round awaits the continuations.
 */
function weriftSender(a: Side): {
  send: (seq: number, timestamp: number, marker: boolean) => Promise<void>;
  readonly last: { bytes: number; extensions: number };
} {
  const { profile, keys } = srtpKeysOf(a);
  const srtp = new SrtpSession({ keys, profile: profile as 1 });
  const t = a.pc.transceivers.find((x) => x.kind === 'video');
  const codec = t?.codecs[0];
  if (!t?.mid || !codec) throw new Error('video not negotiated');
  const last = { bytes: 0, extensions: 0 };
  const transport = {
    state: 'connected',
    transportSequenceNumber: 0,
    onStateChange: new WeriftEvent<[string]>(),
    sendRtp: async (payload: Buffer, header: RtpHeader) => {
      const bytes = srtp.encrypt(payload, header).length;
      last.bytes = bytes;
      last.extensions = header.extensions.length;
      return bytes;
    },
  };
  const sender = new RTCRtpSender('video');
  sender.setDtlsTransport(transport as never);
  sender.prepareSend({
    muxId: t.mid,
    headerExtensions: t.extensions.map((e) => ({ id: e.id, uri: e.uri })),
    codecs: [
      new RTCRtpCodecParameters({
        mimeType: `video/${codec.name}`,
        clockRate: codec.clockRate,
        payloadType: codec.payloadType,
      }),
    ],
  } as never);
  // Its SR loop sleeps on real timers: not started (a's SRs are ~1 in 300 packets).
  (sender as unknown as { rtcpRunning: boolean }).rtcpRunning = true;
  const payload = Buffer.from(PAYLOAD);
  return {
    last,
    send: (sequenceNumber, timestamp, marker) =>
      sender.sendRtp(new RtpPacket(new RtpHeader({ sequenceNumber, timestamp, marker, payloadType: 96 }), payload)),
  };
}

/** `PAIRS` connected pairs, each with its own video source (seeded alike). */
function connectLinks(): { p: Pair; source: VideoSource }[] {
  return Array.from({ length: PAIRS }, (_, i) => {
    const p = connectPair(i + 1);
    return { p, source: new VideoSource(p.a.now + 100) };
  });
}

/** a's side timed; b's side of the previous round (and a's handling of b's answers) untimed. */
async function benchSend(): Promise<void> {
  const links = connectLinks().map((l) => ({ ...l, werift: weriftSender(l.p.a), weriftSource: new VideoSource(0) }));
  // Named functions, so that a CPU profile can tell the timed part (`sendRound`) from the rest.
  function bReceivesRound(): void {
    for (const { p, source } of links) {
      deliver(p.toB, p.b);
      deliver(p.toA, p.a, source.at);
    }
    settle();
  }
  function sendRound(): void {
    for (let i = 0; i < ROUND_PACKETS; i++) {
      for (const { p, source } of links) {
        p.a.send(source.at, p.video, source.timestamp, source.marker);
        source.next();
      }
    }
  }
  async function weriftSendRound(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (let i = 0; i < ROUND_PACKETS; i++) {
      for (const { werift, weriftSource: s } of links) {
        pending.push(werift.send(s.sent & 0xffff, s.timestamp, s.marker));
        s.next();
      }
    }
    await Promise.all(pending);
  }
  const result = await compareAsync(
    { rtcwire: { setup: bReceivesRound, run: sendRound }, werift: { setup: settle, run: weriftSendRound } },
    measure,
  );
  for (const { p, source } of links) {
    deliver(p.toB, p.b);
    checkDelivered(p, source, 'send');
  }
  const [first] = links;
  report('peer-media-send-video', 'packets/s', result, {
    packets: PAIRS * (first?.source.sent ?? 0),
    pairs: PAIRS,
    rtcwireDatagramBytes: first?.p.a.lastBytes,
    weriftDatagramBytes: first?.werift.last.bytes,
    weriftExtensions: first?.werift.last.extensions,
    simulatedSeconds: Math.round((first?.source.at ?? 0) / 1000),
  });
}

// ---------------------------------------------------------------- receive: werift's chain

/** The DTLS-SRTP keys b unprotects with (RFC 5764 §4.2), for werift's SrtpSession. */
function srtpKeysOf(side: Side): { profile: number; keys: ConstructorParameters<typeof SrtpSession>[0]['keys'] } {
  const secure = side.pc.secureTransport;
  const info = secure.connectionInfo;
  const profile = Object.values(SRTP_PROFILES).find((x) => x.id === info?.srtpProfile?.id);
  if (!info || !profile) throw new Error('no DTLS-SRTP profile');
  // SecureTransport keeps its DTLS connection private; the bench reads it to export the same keying block.
  const dtls = (secure as unknown as { dtls: { exportKeyingMaterial(label: string, length: number): Uint8Array } })
    .dtls;
  const m = Buffer.from(dtls.exportKeyingMaterial('EXTRACTOR-dtls_srtp', keyingMaterialLength(profile)));
  const k = profile.masterKeyLength;
  const n = profile.masterSaltLength;
  const client = { key: m.subarray(0, k), salt: m.subarray(2 * k, 2 * k + n) };
  const server = { key: m.subarray(k, 2 * k), salt: m.subarray(2 * k + n, 2 * (k + n)) };
  const [local, remote] = info.role === 'client' ? [client, server] : [server, client];
  return {
    profile: profile.id,
    keys: {
      localMasterKey: local.key,
      localMasterSalt: local.salt,
      remoteMasterKey: remote.key,
      remoteMasterSalt: remote.salt,
    },
  };
}

/**
 * werift's receive chain for one datagram, as its ICE `StunProtocol.datagramReceived` (STUN or
 * not) and `RTCDtlsTransport.startSrtp`'s handler chain it (`isMedia`, `isRtcp`, SRTP/SRTCP
 * decrypt, parse) into `RtpRouter.routeRtp` → `RTCRtpReceiver.handleRtpBySsrc` (statistics,
 * `ReceiverTWCC` — feedback every 11 packets, serialized and SRTCP-encrypted as its
 * `sendRtcp` does — RTX unwrap, `NackHandler.addPacket`, the track's `onReceiveRtp`), configured
 * with b's negotiated codecs, SSRCs and header extension ids.
 */
class WeriftReceiveChain {
  delivered = 0;
  feedback = 0;
  private readonly srtp: SrtpSession;
  private readonly srtcp: SrtcpSession;
  private readonly router = new RtpRouter();
  readonly receiver: RTCRtpReceiver;

  constructor(b: Side, a: Side) {
    const { profile, keys } = srtpKeysOf(b);
    this.srtp = new SrtpSession({ keys, profile: profile as 1 });
    this.srtcp = new SrtcpSession({ keys, profile: profile as 1 });
    const t = b.pc.transceivers.find((x) => x.kind === 'video');
    const sender = a.pc.transceivers.find((x) => x.kind === 'video')?.sender;
    const codec = t?.codecs[0];
    if (!t || !sender || !codec || codec.rtxPayloadType === undefined) throw new Error('video with RTX not negotiated');
    const codecs = [
      new RTCRtpCodecParameters({
        mimeType: `video/${codec.name}`,
        clockRate: codec.clockRate,
        payloadType: codec.payloadType,
        rtcpFeedback: codec.feedback.map((f) => ({ type: f.type, ...(f.parameter ? { parameter: f.parameter } : {}) })),
      }),
      new RTCRtpCodecParameters({
        mimeType: 'video/rtx',
        clockRate: codec.clockRate,
        payloadType: codec.rtxPayloadType,
        parameters: `apt=${codec.payloadType}`,
      }),
    ];
    const transport = {
      sendRtcp: async (packets: { serialize(): Buffer }[]) => {
        this.feedback++;
        sink.bytes += this.srtcp.encrypt(Buffer.concat(packets.map((x) => x.serialize()))).length;
      },
    };
    this.receiver = new RTCRtpReceiver({ debug: {} } as never, 'video', t.sender.ssrc);
    this.receiver.setDtlsTransport(transport as never);
    this.receiver.prepareReceive({
      codecs,
      headerExtensions: [],
      encodings: [{ ssrc: sender.ssrc, rtx: { ssrc: sender.rtxSsrc } }],
    } as never);
    // Its RR loop sleeps on real timers (500–1500 ms): not started (b's RR/XR are ~1 in 300 datagrams).
    (this.receiver as unknown as { rtcpRunning: boolean }).rtcpRunning = true;
    const track = new MediaStreamTrack({ kind: 'video', ssrc: sender.ssrc, remote: true });
    this.receiver.addTrack(track);
    track.onReceiveRtp.subscribe((packet) => {
      this.delivered++;
      sink.bytes += packet.payload.length;
    });
    // What RTCPeerConnection does through the (typed-private) registerRtpReceiver: SSRC → receiver.
    const byssrc = this.router as unknown as { registerRtpReceiver(r: RTCRtpReceiver, ssrc: number): void };
    byssrc.registerRtpReceiver(this.receiver, sender.ssrc);
    byssrc.registerRtpReceiver(this.receiver, sender.rtxSsrc);
    for (const e of t.extensions) this.router.extIdUriMap[e.id] = e.uri;
  }

  handle(data: Buffer): void {
    if (parseMessage(data)) return; // STUN: b's ICE agent answers it (one in ~1,500 datagrams)
    if (!isMedia(data)) return;
    if (isRtcp(data)) {
      for (const p of RtcpPacketConverter.deSerialize(this.srtcp.decrypt(data))) this.router.routeRtcp(p);
      return;
    }
    this.router.routeRtp(RtpPacket.deSerialize(this.srtp.decrypt(data)));
  }
}

// ---------------------------------------------------------------- receive

/**
 * b's side timed; a's sends of the round (and a's handling of b's answers) untimed. Both
 * contenders get the same datagrams each round: whichever sets up first after both consumed the
 * last batch has the a's send the next one.
 */
function benchReceive(): void {
  const links = connectLinks().map((l) => ({
    ...l,
    werift: new WeriftReceiveChain(l.p.b, l.p.a),
    batch: [] as Buffer[],
  }));
  const consumed = { rtcwire: true, werift: true };
  function aSendsRound(): void {
    for (let i = 0; i < ROUND_PACKETS; i++) {
      for (const { p, source } of links) {
        deliver(p.toA, p.a, source.at);
        p.a.send(source.at, p.video, source.timestamp, source.marker);
        source.next();
      }
    }
    // A copy for werift (it reads Buffers), untouched by rtcwire's receive.
    for (const l of links) l.batch = l.p.toB.pending().map((f) => Buffer.from(f.datagram.data));
    consumed.rtcwire = false;
    consumed.werift = false;
  }
  const setupFor = (who: keyof typeof consumed) => () => {
    if (consumed[who]) {
      if (!consumed.rtcwire || !consumed.werift) throw new Error('rounds out of step');
      aSendsRound();
    }
    consumed[who] = true;
    settle();
  };
  function receiveRound(): void {
    for (const { p } of links) deliver(p.toB, p.b);
  }
  function weriftReceiveRound(): void {
    for (const { werift, batch } of links) for (const d of batch) werift.handle(d);
  }
  const result = compare(
    {
      rtcwire: { setup: setupFor('rtcwire'), run: receiveRound },
      werift: { setup: setupFor('werift'), run: weriftReceiveRound },
    },
    measure,
  );
  if (!consumed.werift || !consumed.rtcwire) throw new Error('a batch was not consumed');
  for (const { p, source, werift } of links) {
    werift.receiver.stop();
    checkDelivered(p, source, 'receive');
    if (werift.delivered !== source.sent) throw new Error(`werift delivered ${werift.delivered} of ${source.sent}`);
  }
  const [first] = links;
  report('peer-media-receive-video', 'packets/s', result, {
    packets: PAIRS * (first?.source.sent ?? 0),
    pairs: PAIRS,
    simulatedSeconds: Math.round((first?.source.at ?? 0) / 1000),
    rtcwireDatagramsSent: first?.p.b.transmitted,
    weriftTwccFeedback: first?.werift.feedback,
  });
}

/** Both engines and the link, all timed; `loss` of a→b datagrams dropped (seeded). */
function benchLoop(name: string, loss: number): void {
  const p = connectPair();
  p.a.lossRandom = seededRandom(99);
  p.a.lossRate = loss;
  const source = new VideoSource(p.a.now + 100);
  function loopRound(n: number): void {
    const { a, video } = p;
    for (let i = 0; i < n; i++) {
      const at = source.at;
      advance(p, at);
      a.send(at, video, source.timestamp, source.marker);
      source.next();
    }
  }
  const rtcwire: Contender = { setup: settle, run: loopRound };
  const result = compare(
    { rtcwire, werift: null },
    { ...measure, ops: LOOP_ROUND_PACKETS, rounds: 9, warmupRounds: 2 },
  );
  advance(p, source.at + 2000); // let the last repairs arrive
  const delivered = p.b.rtpEvents;
  if (!connected(p.a) || !connected(p.b)) throw new Error(`${name}: connection dropped`);
  if (loss === 0 ? delivered !== source.sent : delivered < source.sent * 0.999 || delivered > source.sent)
    throw new Error(`${name}: b delivered ${delivered} of ${source.sent}`);
  const inbound = [...(p.b.pc.transceivers[0]?.receiver.streams.values() ?? [])][0]?.stats();
  const outbound = p.a.pc.transceivers[p.video]?.sender.stream.stats();
  report(name, 'packets/s', result, {
    packets: source.sent,
    delivered,
    lossPercent: loss * 100,
    datagramsLost: p.a.lost,
    nacksSent: inbound?.nackCount,
    retransmittedSent: outbound?.retransmittedPacketsSent,
    retransmittedReceived: inbound?.retransmittedPacketsReceived,
    outOfOrderEvents: p.b.outOfOrder,
    simulatedSeconds: Math.round(source.at / 1000),
    weriftNote: 'no in-process equivalent: werift peers are socket-bound and async',
  });
}

// PEER_MEDIA_BENCH=receive (or send, loop, loss2; comma-separated) runs a subset, e.g. to profile one.
const only = process.env.PEER_MEDIA_BENCH?.split(',');
const wanted = (k: string) => only === undefined || only.includes(k);
if (wanted('send')) await benchSend();
if (wanted('receive')) benchReceive();
if (wanted('loop')) benchLoop('peer-media-loop-video', 0);
if (wanted('loss2')) benchLoop('peer-media-loop-video-loss2', 0.02);
if (sink.bytes === 0) console.error('impossible sink');
