/**
 * SRTP/SRTCP protect and unprotect throughput, rtcwire vs werift, same process, interleaved.
 * werift supports AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM; other profiles report werift: null.
 * Env SRTP_BENCH_BACKEND=node-crypto measures the fallback path instead of the native addon.
 */
import {
  defaultSrtpBackend,
  type SrtpBackend,
  type SrtpProfileName,
  SRTP_PROFILES,
  SrtpProtectContext,
  SrtpUnprotectContext,
} from '@rtcwire/srtp';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift';
import { type Contender, compare, report } from './lib/measure.js';

const backend = (process.env.SRTP_BENCH_BACKEND ?? 'auto') as SrtpBackend;
const resolved = backend === 'auto' ? defaultSrtpBackend() : backend;
const WERIFT_PROFILE: Partial<Record<SrtpProfileName, number>> = { AES_CM_128_HMAC_SHA1_80: 1, AEAD_AES_128_GCM: 7 };
const SHORT: Record<SrtpProfileName, string> = {
  AES_CM_128_HMAC_SHA1_80: 'aes-cm-80',
  AES_CM_128_HMAC_SHA1_32: 'aes-cm-32',
  AEAD_AES_128_GCM: 'aes-128-gcm',
  AEAD_AES_256_GCM: 'aes-256-gcm',
};
// Operations per round: rtcwire is ~10x faster, so it gets more per round to keep rounds >= ~20 ms.
const OPS = 2000;
const OPS_RTCWIRE = 16000;

function rtpPacket(seq: number, payloadLength: number): Buffer {
  const p = Buffer.alloc(12 + payloadLength, 0xab);
  p[0] = 0x80;
  p[1] = 96;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE(seq * 960, 4);
  p.writeUInt32BE(0x11223344, 8);
  return p;
}

function rtcpPacket(): Buffer {
  // Sender report (28 bytes) + one report block (24) + SDES-sized tail: 80 bytes in all.
  const p = Buffer.alloc(80, 0x5a);
  p[0] = 0x81;
  p[1] = 200;
  p.writeUInt16BE(80 / 4 - 1, 2);
  p.writeUInt32BE(0x11223344, 4);
  return p;
}

/** A Buffer view of the same bytes (no copy). */
function asBuffer(p: Uint8Array): Buffer {
  return Buffer.from(p.buffer, p.byteOffset, p.length);
}

function keys(profile: SrtpProfileName) {
  const info = SRTP_PROFILES[profile];
  const key = Buffer.alloc(info.masterKeyLength, 0x42);
  const salt = Buffer.alloc(info.masterSaltLength, 0x17);
  const weriftKeys = { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt };
  return { key, salt, weriftKeys };
}

function benchRtp(profile: SrtpProfileName, payloadLength: number): void {
  const { key, salt, weriftKeys } = keys(profile);
  const wProfile = WERIFT_PROFILE[profile];
  const plain = Array.from({ length: OPS_RTCWIRE }, (_, i) => rtpPacket(i, payloadLength));
  const sender = new SrtpProtectContext(profile, key, salt, { backend });
  const protectedPackets = plain.map((p) => sender.protect(p));
  const asBuffers = protectedPackets.map(asBuffer); // werift needs Buffer methods on its input
  const size = `${payloadLength}`;

  // protect: a fresh sender per round, every packet with its own sequence number.
  let tx = new SrtpProtectContext(profile, key, salt, { backend });
  let wtx: SrtpSession | undefined;
  const weriftParsed = plain.slice(0, OPS).map((p) => ({ header: RtpHeader.deSerialize(p), payload: p.subarray(12) }));
  const protect: Record<'rtcwire' | 'werift', Contender | null> = {
    rtcwire: {
      ops: OPS_RTCWIRE,
      setup: () => {
        tx = new SrtpProtectContext(profile, key, salt, { backend });
      },
      run: (n) => {
        // Same working set as werift's (the first OPS packets); protect has no replay constraint.
        for (let i = 0; i < n; i++) tx.protect(plain[i % OPS]!);
      },
    },
    werift:
      wProfile === undefined
        ? null
        : {
            setup: () => {
              wtx = new SrtpSession({ keys: weriftKeys, profile: wProfile });
            },
            run: (n) => {
              for (let i = 0; i < n; i++) wtx!.encrypt(weriftParsed[i]!.payload, weriftParsed[i]!.header);
            },
          },
  };
  report(`srtp-protect-${SHORT[profile]}-${size}`, 'packets/s', compare(protect, { ops: OPS }), { backend: resolved });

  // unprotect: fresh receivers per round (the replay window would reject a second pass).
  let rx = new SrtpUnprotectContext(profile, key, salt, { backend });
  let wrx: SrtpSession | undefined;
  const unprotect: Record<'rtcwire' | 'werift', Contender | null> = {
    rtcwire: {
      ops: OPS_RTCWIRE,
      setup: () => {
        rx = new SrtpUnprotectContext(profile, key, salt, { backend });
      },
      run: (n) => {
        for (let i = 0; i < n; i++) if (!rx.unprotect(protectedPackets[i]!).ok) throw new Error('unprotect failed');
      },
    },
    werift:
      wProfile === undefined
        ? null
        : {
            setup: () => {
              wrx = new SrtpSession({ keys: weriftKeys, profile: wProfile });
            },
            run: (n) => {
              for (let i = 0; i < n; i++) wrx!.decrypt(asBuffers[i]!);
            },
          },
  };
  report(`srtp-unprotect-${SHORT[profile]}-${size}`, 'packets/s', compare(unprotect, { ops: OPS }), {
    backend: resolved,
  });
}

function benchRtcp(profile: SrtpProfileName): void {
  const { key, salt, weriftKeys } = keys(profile);
  const wProfile = WERIFT_PROFILE[profile];
  const rtcp = rtcpPacket();
  const sender = new SrtpProtectContext(profile, key, salt, { backend });
  const protectedPackets = Array.from({ length: OPS_RTCWIRE }, () => sender.protectRtcp(rtcp));
  const asBuffers = protectedPackets.map(asBuffer);
  let tx = sender;
  let rx = new SrtpUnprotectContext(profile, key, salt, { backend });
  let w: SrtcpSession | undefined;
  const protect: Record<'rtcwire' | 'werift', Contender | null> = {
    rtcwire: {
      ops: OPS_RTCWIRE,
      setup: () => {
        tx = new SrtpProtectContext(profile, key, salt, { backend });
      },
      run: (n) => {
        for (let i = 0; i < n; i++) tx.protectRtcp(rtcp);
      },
    },
    werift:
      wProfile === undefined
        ? null
        : {
            setup: () => {
              w = new SrtcpSession({ keys: weriftKeys, profile: wProfile });
            },
            run: (n) => {
              for (let i = 0; i < n; i++) w!.encrypt(rtcp);
            },
          },
  };
  report(`srtcp-protect-${SHORT[profile]}-80`, 'packets/s', compare(protect, { ops: OPS }), { backend: resolved });
  const unprotect: Record<'rtcwire' | 'werift', Contender | null> = {
    rtcwire: {
      ops: OPS_RTCWIRE,
      setup: () => {
        rx = new SrtpUnprotectContext(profile, key, salt, { backend });
      },
      run: (n) => {
        for (let i = 0; i < n; i++) if (!rx.unprotectRtcp(protectedPackets[i]!).ok) throw new Error('unprotect failed');
      },
    },
    werift:
      wProfile === undefined
        ? null
        : {
            setup: () => {
              w = new SrtcpSession({ keys: weriftKeys, profile: wProfile });
            },
            run: (n) => {
              for (let i = 0; i < n; i++) w!.decrypt(asBuffers[i]!);
            },
          },
  };
  report(`srtcp-unprotect-${SHORT[profile]}-80`, 'packets/s', compare(unprotect, { ops: OPS }), { backend: resolved });
}

const only = process.env.SRTP_BENCH_PROFILES?.split(',') as SrtpProfileName[] | undefined;
for (const profile of only ?? (Object.keys(SRTP_PROFILES) as SrtpProfileName[])) {
  for (const size of [160, 1200]) benchRtp(profile, size);
  benchRtcp(profile);
}
