/**
 * The in-memory driver behind bench/peer-media.bench.ts: two `PeerConnectionCore`s joined by a
 * discrete-event link with a fixed one-way delay and a simulated clock (no real timers), a seeded
 * video source, and the check that b delivered every packet a sent.
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
export const ONE_WAY_MS = 20;
export const PAYLOAD = new Uint8Array(1200).fill(0xab);
/** Packets per pair and split round: ~2 s of video at ~310 packets/s. */
export const ROUND_PACKETS = 620;
/** Independent pairs in the split benches (a server's view), so a round lasts long enough to time. */
export const PAIRS = 4;
export const ROUNDS = Number(process.env.PEER_MEDIA_ROUNDS ?? 15);
export const WARMUP = Number(process.env.PEER_MEDIA_WARMUP ?? 4);
/** The loop benches have no such limit: ~10 s of video a round. */
export const LOOP_ROUND_PACKETS = 3100;
/** Bytes seen by consumers, so no work is optimised away (printed nowhere; checked once at the end). */
export const sink = { bytes: 0 };

// ---------------------------------------------------------------- the in-memory link

export interface InFlight {
  readonly at: number;
  readonly datagram: Datagram;
}

/** FIFO of datagrams in flight one way (constant delay keeps arrival order = send order). */
export class Queue {
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
  /** Everything still in flight, in order (for a second consumer of the same datagrams). */
  pending(): InFlight[] {
    return this.items.slice(this.head);
  }
  get length(): number {
    return this.items.length - this.head;
  }
}

/** One engine with its driver state: last time, cached deadline, where its datagrams go. */
export class Side {
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
  transmitted = 0;
  lastBytes = 0;
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
        sink.bytes += e.packet.payload.byteLength;
      } else this.events.push(e);
    }
    for (let d = this.pc.pollTransmit(); d; d = this.pc.pollTransmit()) {
      if (this.lossRandom && this.lossRandom.float() < this.lossRate) {
        this.lost++;
        continue;
      }
      this.transmitted++;
      this.lastBytes = d.data.byteLength;
      this.out.push(this.now, d);
    }
    this.timer = this.pc.pollTimeout();
  }
}

/** Deliver everything in `q` that arrives by `until` (send time + one-way delay) to `to`. */
export function deliver(q: Queue, to: Side, until = Number.POSITIVE_INFINITY): void {
  for (let f = q.peek(); f && f.at + ONE_WAY_MS <= until; f = q.peek()) {
    q.shift();
    to.receive(f.at + ONE_WAY_MS, f.datagram);
  }
}

// ---------------------------------------------------------------- the video source

/** ~310 packets/s: 30 fps, 6–14 packets a frame, 40 for a keyframe every 3 s, 0.3 ms apart. */
export class VideoSource {
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

export interface Pair {
  readonly a: Side;
  readonly b: Side;
  readonly toB: Queue;
  readonly toA: Queue;
  readonly video: number;
  readonly audio: number;
}

export const certs: [GeneratedCertificate, GeneratedCertificate] = [
  await generateCertificate({ now: new Date() }),
  await generateCertificate({ now: new Date() }),
];

export const connected = (s: Side) => s.pc.connectionState === 'connected';

/** When the link has something to do next: a timer or an arrival; undefined when idle. */
export function nextEvent(p: Pair): number | undefined {
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
export function advance(p: Pair, until: number): void {
  for (let t = nextEvent(p); t !== undefined && t <= until; t = nextEvent(p)) {
    deliver(p.toB, p.b, t);
    deliver(p.toA, p.a, t);
    p.a.runTimers(t);
    p.b.runTimers(t);
  }
}

/** Run the link until `done()`, failing after `limitMs` of simulated time. */
export function runLink(p: Pair, limitMs: number, done: () => boolean): void {
  while (!done()) {
    const t = nextEvent(p);
    if (t === undefined) throw new Error('link idle before done');
    if (t > limitMs) throw new Error(`not done by ${limitMs} ms`);
    advance(p, t);
  }
}

export function connectPair(seed = 1): Pair {
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
  const a = new Side('a', make(certs[0], addrA, 2 * seed), toB);
  const b = new Side('b', make(certs[1], addrB, 2 * seed + 1), toA);
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

export function checkDelivered(p: Pair, source: VideoSource, label: string): void {
  if (!connected(p.a) || !connected(p.b)) throw new Error(`${label}: connection dropped`);
  if (p.b.rtpEvents !== source.sent) throw new Error(`${label}: b delivered ${p.b.rtpEvents} of ${source.sent}`);
}
