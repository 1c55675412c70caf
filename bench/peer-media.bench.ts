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
 * - `peer-media-receive-video`: per datagram of a's `b.handleDatagram` (ICE demux, SRTP unprotect,
 *   RTP parse, routing, RTX receiver, receive statistics, NACK generator, TWCC recording) + draining
 *   `b.pollEvent()` (the `rtp` event) and `b.pollTransmit()` + `b.pollTimeout()`, with b's timers
 *   (transport-cc feedback every 50 ms, RR + XR, consent) when due. a's sends of the round are
 *   generated untimed in `setup` (SRTP's replay window lets each datagram in only once).
 * - `peer-media-loop-video` / `-loss2`: both engines, everything timed: a sends, the link delivers,
 *   b receives and answers; `-loss2` drops 2 % of a→b datagrams (seeded), so NACK → RTX runs.
 *
 * Each split round is ~2 s of simulated media: what one side produces reaches the other at the
 * next untimed `setup`, late by up to that much, which consent freshness (5 s checks, 30 s expiry)
 * tolerates. Every bench checks that b delivered every packet a sent (exactly once).
 */
import {
  type Datagram,
  type RandomSource,
  randomInt,
  type SocketAddress,
  seededRandom,
  socketAddress,
} from '@rtcwire/common';
import { type GeneratedCertificate, generateCertificate } from '@rtcwire/dtls';
import { PeerConnectionCore, type PeerEvent } from '@rtcwire/peer';
import { type Contender, compare, report } from './lib/measure.js';

const ONE_WAY_MS = 20;
const PAYLOAD = new Uint8Array(1200).fill(0xab);
/** Packets per split round: ~2 s of video at ~310 packets/s. */
const ROUND_PACKETS = 620;
const ROUNDS = 21;
const WARMUP = 4;
let sink = 0;

// ---------------------------------------------------------------- the in-memory link

interface InFlight {
  readonly at: number;
  readonly datagram: Datagram;
}

/** FIFO of datagrams in flight one way (constant delay keeps arrival order = send order). */
class Queue {
  private items: InFlight[] = [];
  private head = 0;
  push(at: number, datagram: Datagram): void {
    this.items.push({ at, datagram });
  }
  peek(): InFlight | undefined {
    return this.items[this.head];
  }
  shift(): InFlight | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head++;
    if (this.head > 4096) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  get length(): number {
    return this.items.length - this.head;
  }
}

/** One engine with its driver state: last time, cached deadline, where its datagrams go. */
class Side {
  now = 0;
  timer: number | undefined;
  rtpEvents = 0;
  lastSequence = -1;
  outOfOrder = 0;
  readonly events: PeerEvent[] = [];
  /** Set when this side runs; counts how many a→b datagrams a dropped as "lost". */
  lossRandom: RandomSource | undefined;
  lossRate = 0;
  lost = 0;
  constructor(
    readonly name: string,
    readonly pc: PeerConnectionCore,
    readonly out: Queue,
  ) {}

  /** Run every timer due by `now` (at its due time), then advance the clock to `now`. */
  runTimers(now: number): void {
    while (this.timer !== undefined && this.timer <= now) {
      this.now = Math.max(this.now, this.timer);
      this.pc.handleTimeout(this.now);
      this.flush();
    }
    if (now > this.now) this.now = now;
  }

  receive(at: number, d: Datagram): void {
    this.runTimers(at);
    this.pc.handleDatagram(this.now, { local: d.remote, remote: d.local, data: d.data });
    this.flush();
  }

  send(at: number, transceiverId: number, timestamp: number, marker: boolean): void {
    this.runTimers(at);
    if (!this.pc.sendRtp(this.now, transceiverId, { payload: PAYLOAD, timestamp, marker }))
      throw new Error(`${this.name}: sendRtp refused`);
    this.flush();
  }

  /** What a driver does after every call: drain events and datagrams, ask for the next deadline. */
  flush(): void {
    for (let e = this.pc.pollEvent(); e; e = this.pc.pollEvent()) {
      if (e.type === 'rtp') {
        this.rtpEvents++;
        const s = e.packet.sequenceNumber;
        if (s !== ((this.lastSequence + 1) & 0xffff) && this.lastSequence >= 0) this.outOfOrder++;
        this.lastSequence = s;
        sink += e.packet.payload.byteLength;
      } else this.events.push(e);
    }
    for (let d = this.pc.pollTransmit(); d; d = this.pc.pollTransmit()) {
      if (this.lossRandom && this.lossRandom.float() < this.lossRate) {
        this.lost++;
        continue;
      }
      this.out.push(this.now, d);
    }
    this.timer = this.pc.pollTimeout();
  }
}

/** Deliver everything in `q` that arrives by `until` (send time + one-way delay) to `to`. */
function deliver(q: Queue, to: Side, until = Number.POSITIVE_INFINITY): void {
  for (let f = q.peek(); f && f.at + ONE_WAY_MS <= until; f = q.peek()) {
    q.shift();
    to.receive(f.at + ONE_WAY_MS, f.datagram);
  }
}

// ---------------------------------------------------------------- the video source

/** ~310 packets/s: 30 fps, 6–14 packets a frame, 40 for a keyframe every 3 s, 0.3 ms apart. */
class VideoSource {
  private frame = 0;
  private inFrame = 0;
  private count = 0;
  private readonly rng = seededRandom(7);
  sent = 0;
  constructor(private readonly start: number) {
    this.count = this.frameSize();
  }
  private frameSize(): number {
    return this.frame % 90 === 0 ? 40 : randomInt(this.rng, 6, 14);
  }
  get at(): number {
    return this.start + (this.frame * 1000) / 30 + this.inFrame * 0.3;
  }
  get timestamp(): number {
    return (this.frame * 3000) >>> 0;
  }
  get marker(): boolean {
    return this.inFrame === this.count - 1;
  }
  next(): void {
    this.sent++;
    if (++this.inFrame < this.count) return;
    this.frame++;
    this.inFrame = 0;
    this.count = this.frameSize();
  }
}

// ---------------------------------------------------------------- two connected engines

interface Pair {
  readonly a: Side;
  readonly b: Side;
  readonly toB: Queue;
  readonly toA: Queue;
  readonly video: number;
  readonly audio: number;
}

const certs: [GeneratedCertificate, GeneratedCertificate] = [
  await generateCertificate({ now: new Date() }),
  await generateCertificate({ now: new Date() }),
];

const connected = (s: Side) => s.pc.connectionState === 'connected';

/** When the link has something to do next: a timer or an arrival; undefined when idle. */
function nextEvent(p: Pair): number | undefined {
  let t = p.a.timer;
  const consider = (x: number | undefined) => {
    if (x !== undefined && (t === undefined || x < t)) t = x;
  };
  consider(p.b.timer);
  const toB = p.toB.peek();
  if (toB) consider(toB.at + ONE_WAY_MS);
  const toA = p.toA.peek();
  if (toA) consider(toA.at + ONE_WAY_MS);
  return t;
}

/** Run both sides and the link, in time order, through `until`. */
function advance(p: Pair, until: number): void {
  for (let t = nextEvent(p); t !== undefined && t <= until; t = nextEvent(p)) {
    deliver(p.toB, p.b, t);
    deliver(p.toA, p.a, t);
    p.a.runTimers(t);
    p.b.runTimers(t);
  }
}

/** Run the link until `done()`, failing after `limitMs` of simulated time. */
function runLink(p: Pair, limitMs: number, done: () => boolean): void {
  while (!done()) {
    const t = nextEvent(p);
    if (t === undefined) throw new Error('link idle before done');
    if (t > limitMs) throw new Error(`not done by ${limitMs} ms`);
    advance(p, t);
  }
}

function connectPair(): Pair {
  const toB = new Queue();
  const toA = new Queue();
  const addrA = socketAddress('10.0.0.1', 5000);
  const addrB = socketAddress('10.0.0.2', 6000);
  const make = (cert: GeneratedCertificate, addr: SocketAddress, seed: number) =>
    new PeerConnectionCore({
      random: seededRandom(seed),
      certificate: cert,
      localAddresses: [addr],
      wallClockMs: (now) => 1_700_000_000_000 + now,
    });
  const a = new Side('a', make(certs[0], addrA, 1), toB);
  const b = new Side('b', make(certs[1], addrB, 2), toA);
  const video = a.pc.addTransceiver('video', { direction: 'sendonly' }).id;
  const audio = a.pc.addTransceiver('audio', { direction: 'sendonly' }).id;
  const offer = a.pc.createOffer();
  a.pc.setLocalDescription(0, 'offer', offer);
  b.pc.setRemoteDescription(0, 'offer', offer);
  b.pc.setLocalDescription(0, 'answer', b.pc.createAnswer());
  a.pc.setRemoteDescription(0, 'answer', b.pc.currentLocalDescription as string);
  // Trickle: hand each side's gathered candidates to the other.
  a.flush();
  b.flush();
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const e of from.events) if (e.type === 'ice-candidate') to.pc.addIceCandidate(0, e.candidate);
    to.flush();
  }
  const p = { a, b, toB, toA, video, audio };
  runLink(p, 10_000, () => connected(a) && connected(b));
  return p;
}

function checkDelivered(p: Pair, source: VideoSource, label: string): void {
  if (!connected(p.a) || !connected(p.b)) throw new Error(`${label}: connection dropped`);
  if (p.b.rtpEvents !== source.sent) throw new Error(`${label}: b delivered ${p.b.rtpEvents} of ${source.sent}`);
}

// ---------------------------------------------------------------- the benches

const measure = { ops: ROUND_PACKETS, rounds: ROUNDS, warmupRounds: WARMUP };

/** a's side timed; b's side of the previous round (and a's handling of b's answers) untimed. */
function benchSend(): void {
  const p = connectPair();
  const source = new VideoSource(p.a.now + 100);
  const rtcwire: Contender = {
    setup: () => {
      deliver(p.toB, p.b);
      deliver(p.toA, p.a, source.at);
    },
    run: (n) => {
      const { a, video } = p;
      for (let i = 0; i < n; i++) {
        a.send(source.at, video, source.timestamp, source.marker);
        source.next();
      }
    },
  };
  const result = compare({ rtcwire, werift: null }, measure);
  deliver(p.toB, p.b);
  checkDelivered(p, source, 'send');
  report('peer-media-send-video', 'packets/s', result, {
    packets: source.sent,
    simulatedSeconds: Math.round(source.at / 1000),
    weriftNote: 'no in-process equivalent: RTCRtpSender.sendRtp is async and socket-bound',
  });
}

/** b's side timed; a's sends of the round (and a's handling of b's answers) untimed. */
function benchReceive(): void {
  const p = connectPair();
  const source = new VideoSource(p.a.now + 100);
  const rtcwire: Contender = {
    setup: () => {
      const { a, video } = p;
      for (let i = 0; i < ROUND_PACKETS; i++) {
        deliver(p.toA, a, source.at);
        a.send(source.at, video, source.timestamp, source.marker);
        source.next();
      }
    },
    run: () => deliver(p.toB, p.b),
  };
  const result = compare({ rtcwire, werift: null }, measure);
  checkDelivered(p, source, 'receive');
  report('peer-media-receive-video', 'packets/s', result, {
    packets: source.sent,
    simulatedSeconds: Math.round(source.at / 1000),
  });
}

/** Both engines and the link, all timed; `loss` of a→b datagrams dropped (seeded). */
function benchLoop(name: string, loss: number): void {
  const p = connectPair();
  p.a.lossRandom = seededRandom(99);
  p.a.lossRate = loss;
  const source = new VideoSource(p.a.now + 100);
  const rtcwire: Contender = {
    run: (n) => {
      const { a, video } = p;
      for (let i = 0; i < n; i++) {
        const at = source.at;
        advance(p, at);
        a.send(at, video, source.timestamp, source.marker);
        source.next();
      }
    },
  };
  const result = compare({ rtcwire, werift: null }, measure);
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

benchSend();
benchReceive();
benchLoop('peer-media-loop-video', 0);
benchLoop('peer-media-loop-video-loss2', 0.02);
if (sink === 0) console.error('impossible sink');
