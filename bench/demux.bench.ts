/**
 * RFC 7983 demultiplexing throughput, packets/s: what each stack does with a datagram that arrived
 * on the ICE socket before it reaches STUN, DTLS or SRTP/SRTCP processing.
 *
 * - `demux-classify-*`: classification only. rtcwire: `isStunMessage` (@rtcwire/stun, what the ICE
 *   agent checks first) then `classifyPacket` (@rtcwire/peer). werift: the same checks its receive
 *   path chains — `isStunMessage` (the first step of its `parseMessage`), `isDtls`, `isMedia`,
 *   `isRtcp`.
 * - `demux-dispatch-*`: the same, but a STUN datagram is also decoded the way each stack does it
 *   on arrival. werift's `StunProtocol.datagramReceived` calls `parseMessage(data)`, which decodes
 *   every attribute value and checks FINGERPRINT; rtcwire's agent calls `decodeStunMessage` and
 *   later reads the attributes it uses, so here rtcwire decodes, verifies FINGERPRINT and reads
 *   USERNAME, PRIORITY, ICE-CONTROLLED, USE-CANDIDATE (requests) or XOR-MAPPED-ADDRESS (responses).
 *
 * Two mixes of real-looking datagrams: `media` (90% SRTP, 8% SRTCP, 1.5% STUN, 0.5% DTLS — a call
 * in progress) and `uniform` (a quarter each — handshake-heavy). Each run counts the classes it
 * found; the counts must agree between the stacks. Prints one JSON line per measurement.
 */
import { seededRandom } from '@rtcwire/common';
import { classifyPacket } from '@rtcwire/peer';
import {
  Attr,
  type DecodedStunMessage,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  hasAttribute,
  isStunMessage,
  makeAttribute,
  shortTermKey,
  StunMethod,
  verifyFingerprint,
} from '@rtcwire/stun';
import { isDtls, isMedia, isRtcp, isStunMessage as weriftIsStun, parseMessage } from 'werift';
import { compare, report } from './lib/measure.js';

const OPS = 2_000_000; // classification is a few ns per packet: rounds need many
const DISPATCH_OPS = 500_000;
const random = seededRandom(7983);
let sink = 0;

type Kind = 'stun' | 'dtls' | 'rtp' | 'rtcp';

function stunRequest(): Buffer {
  const transactionId = random.bytes(12);
  return Buffer.from(
    encodeStunMessage(
      {
        class: 'request',
        method: StunMethod.BINDING,
        transactionId,
        attributes: [
          makeAttribute(Attr.USERNAME, 'a1b2c3d4:e5f6g7h8'),
          makeAttribute(Attr.ICE_CONTROLLED, 0x0123456789abcdefn),
          makeAttribute(Attr.PRIORITY, 0x6e7f1eff),
          makeAttribute(Attr.USE_CANDIDATE, true),
        ],
      },
      { integrity: { key: shortTermKey('remotepasswordremotepassword') }, fingerprint: true },
    ),
  );
}

function stunResponse(): Buffer {
  const transactionId = random.bytes(12);
  const mapped = { address: '192.0.2.10', port: 50_000, family: 'IPv4' } as const;
  return Buffer.from(
    encodeStunMessage(
      {
        class: 'success',
        method: StunMethod.BINDING,
        transactionId,
        attributes: [makeAttribute(Attr.XOR_MAPPED_ADDRESS, mapped, transactionId)],
      },
      { integrity: { key: shortTermKey('localpasswordlocalpassword') }, fingerprint: true },
    ),
  );
}

/** A DTLS 1.2 record (RFC 6347 §4.1): content type, version FEFD, epoch, sequence, length, body. */
function dtlsRecord(contentType: number, bodyLength: number): Buffer {
  const b = Buffer.alloc(13 + bodyLength);
  b[0] = contentType;
  b.writeUInt16BE(0xfefd, 1);
  b.writeUInt16BE(1, 3);
  b.writeUIntBE(Math.floor(random.uint32() / 2), 5, 6);
  b.writeUInt16BE(bodyLength, 11);
  Buffer.from(random.bytes(bodyLength)).copy(b, 13);
  return b;
}

/** An SRTP packet: RTP header with a one-byte extension, then `size` bytes of ciphertext + tag. */
function srtp(size: number): Buffer {
  const b = Buffer.from(random.bytes(12 + 8 + size));
  b[0] = 0x90; // V=2, X=1
  b[1] = random.uint32() & 1 ? 96 : 0x80 | 111; // VP8 or Opus with marker
  b.writeUInt16BE(0xbede, 12);
  b.writeUInt16BE(1, 14);
  return b;
}

/** An SRTCP compound packet: SR or RTPFB first, encrypted rest, E-bit + index, auth tag. */
function srtcp(): Buffer {
  const b = Buffer.from(random.bytes(28 + 40 + 14));
  b[0] = random.uint32() & 1 ? 0x80 : 0x8f;
  b[1] = b[0] === 0x80 ? 200 : 205;
  return b;
}

function mix(counts: Record<Kind, number>): { packets: Buffer[]; kinds: Kind[] } {
  const items: { p: Buffer; k: Kind }[] = [];
  for (let i = 0; i < counts.stun; i++) items.push({ p: i & 1 ? stunResponse() : stunRequest(), k: 'stun' });
  for (let i = 0; i < counts.dtls; i++) items.push({ p: dtlsRecord(i & 1 ? 23 : 22, 64 + (i % 5) * 100), k: 'dtls' });
  for (let i = 0; i < counts.rtp; i++) items.push({ p: srtp(i % 3 === 0 ? 160 : 1100), k: 'rtp' });
  for (let i = 0; i < counts.rtcp; i++) items.push({ p: srtcp(), k: 'rtcp' });
  // Fisher–Yates with the seeded source, so both stacks see the same order every run.
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.uint32() % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return { packets: items.map((x) => x.p), kinds: items.map((x) => x.k) };
}

/** Class tallies: [stun, dtls, rtp, rtcp, unknown]. */
type Tally = [number, number, number, number, number];

function rtcwireClassify(packets: readonly Uint8Array[], ops: number, decodeStun: boolean): Tally {
  const t: Tally = [0, 0, 0, 0, 0];
  const n = packets.length;
  for (let i = 0; i < ops; i++) {
    const d = packets[i % n]!;
    if (isStunMessage(d)) {
      if (decodeStun) sink += readStun(decodeStunMessage(d));
      t[0]++;
      continue;
    }
    switch (classifyPacket(d)) {
      case 'dtls':
        t[1]++;
        break;
      case 'rtp':
        t[2]++;
        break;
      case 'rtcp':
        t[3]++;
        break;
      default:
        t[4]++;
    }
  }
  return t;
}

/** What rtcwire's ICE agent reads from an incoming Binding message before acting on it. */
function readStun(m: DecodedStunMessage): number {
  if (!verifyFingerprint(m.raw)) return 0;
  if (m.class === 'request') {
    const user = getAttribute(m, Attr.USERNAME) ?? '';
    const priority = getAttribute(m, Attr.PRIORITY) ?? 0;
    const tie = getAttribute(m, Attr.ICE_CONTROLLED) ?? getAttribute(m, Attr.ICE_CONTROLLING) ?? 0n;
    return user.length + priority + Number(tie & 1n) + (hasAttribute(m, Attr.USE_CANDIDATE.type) ? 1 : 0);
  }
  return getAttribute(m, Attr.XOR_MAPPED_ADDRESS)?.port ?? 0;
}

function weriftClassify(packets: readonly Buffer[], ops: number, decodeStun: boolean): Tally {
  const t: Tally = [0, 0, 0, 0, 0];
  const n = packets.length;
  for (let i = 0; i < ops; i++) {
    const d = packets[i % n]!;
    if (decodeStun) {
      const m = parseMessage(d);
      if (m) {
        sink += m.attributesKeys.length;
        t[0]++;
        continue;
      }
    } else if (weriftIsStun(d)) {
      t[0]++;
      continue;
    }
    if (isDtls(d)) t[1]++;
    else if (isMedia(d)) {
      if (isRtcp(d)) t[3]++;
      else t[2]++;
    } else t[4]++;
  }
  return t;
}

function bench(name: string, counts: Record<Kind, number>, decodeStun: boolean, ops: number): void {
  const { packets, kinds } = mix(counts);
  const expected: Tally = [
    kinds.filter((k) => k === 'stun').length,
    kinds.filter((k) => k === 'dtls').length,
    kinds.filter((k) => k === 'rtp').length,
    kinds.filter((k) => k === 'rtcp').length,
    0,
  ];
  const n = packets.length;
  // rtcwire takes Uint8Array: plain views of the same bytes. (Handing it the Buffers would also
  // work, except that its XOR-address decoder then flips the datagram's bytes in place — see README.)
  const views = packets.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  const ours = rtcwireClassify(views, n, decodeStun);
  const theirs = weriftClassify(packets, n, decodeStun);
  if (ours.join() !== expected.join() || theirs.join() !== expected.join()) {
    throw new Error(`${name}: tallies differ: expected ${expected}, rtcwire ${ours}, werift ${theirs}`);
  }
  const r = compare(
    {
      rtcwire: {
        run: (k) => {
          sink += rtcwireClassify(views, k, decodeStun)[0];
        },
      },
      werift: {
        run: (k) => {
          sink += weriftClassify(packets, k, decodeStun)[0];
        },
      },
    },
    { ops },
  );
  report(name, 'packets/s', r, { mix: counts });
}

const media = { stun: 15, dtls: 5, rtp: 900, rtcp: 80 };
const uniform = { stun: 250, dtls: 250, rtp: 250, rtcp: 250 };
bench('demux-classify-media', media, false, OPS);
bench('demux-classify-uniform', uniform, false, OPS);
bench('demux-dispatch-media', media, true, DISPATCH_OPS);
bench('demux-dispatch-uniform', uniform, true, DISPATCH_OPS / 10);
if (sink === 0) console.error('sink is zero');
