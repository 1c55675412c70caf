/**
 * SRTP/SRTCP interop with werift 0.24 (node_modules/werift, its rtp/srtp SrtpSession and
 * SrtcpSession). werift supports AES_CM_128_HMAC_SHA1_80 (profile 1) and AEAD_AES_128_GCM
 * (profile 7); it has neither AES_CM_128_HMAC_SHA1_32 nor AEAD_AES_256_GCM.
 * Packets go both ways and must come out byte-identical, across a sequence-number wrap.
 */
import {
  defaultSrtpBackend,
  SRTP_PROFILES,
  type SrtpProfileName,
  SrtpProtectContext,
  SrtpUnprotectContext,
} from '@rtcwire/srtp';
import { describe, expect, it } from 'vitest';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift';

const WERIFT_PROFILES: [SrtpProfileName, number][] = [
  ['AES_CM_128_HMAC_SHA1_80', 1],
  ['AEAD_AES_128_GCM', 7],
];
const BACKENDS = defaultSrtpBackend() === 'native' ? (['native', 'node-crypto'] as const) : (['node-crypto'] as const);

function rtpPacket(seq: number, ssrc: number, payloadLength: number, extension: boolean): Buffer {
  const ext = extension ? 8 : 0;
  const p = Buffer.alloc(12 + ext + payloadLength);
  p[0] = extension ? 0x90 : 0x80;
  p[1] = 111;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 960) >>> 0, 4);
  p.writeUInt32BE(ssrc, 8);
  if (extension) {
    p.writeUInt16BE(0xbede, 12);
    p.writeUInt16BE(1, 14);
    p[16] = 0x10; // one-byte element id 1, length 1
    p[17] = 0x7f;
  }
  for (let i = 12 + ext; i < p.length; i++) p[i] = (i * 7 + seq) & 0xff;
  return p;
}

function bytes(n: number, f: (i: number) => number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => f(i)));
}

function rtcpPacket(ssrc: number, n: number): Buffer {
  const p = Buffer.alloc(28);
  p[0] = 0x80;
  p[1] = 200; // sender report
  p.writeUInt16BE(6, 2);
  p.writeUInt32BE(ssrc, 4);
  p.writeUInt32BE(n, 8);
  return p;
}

describe.each(BACKENDS)('SRTP interop with werift (%s backend)', (backend) => {
  describe.each(WERIFT_PROFILES)('%s', (profile, weriftProfile) => {
    const info = SRTP_PROFILES[profile];
    const ourKey = bytes(info.masterKeyLength, (i) => i + 1);
    const ourSalt = bytes(info.masterSaltLength, (i) => 0xa0 + i);
    const theirKey = bytes(info.masterKeyLength, (i) => 0x40 + i);
    const theirSalt = bytes(info.masterSaltLength, (i) => 0x10 + i);
    // werift's "local" protects what it sends (with its key); its "remote" unprotects ours.
    const keys = {
      localMasterKey: theirKey,
      localMasterSalt: theirSalt,
      remoteMasterKey: ourKey,
      remoteMasterSalt: ourSalt,
    };
    const seqs = Array.from({ length: 40 }, (_, i) => (65520 + i) & 0xffff); // crosses 65535 -> 0

    it('werift unprotects our SRTP (and the reverse), byte-identical, across the ROC wrap', () => {
      const tx = new SrtpProtectContext(profile, ourKey, ourSalt, { backend });
      const rx = new SrtpUnprotectContext(profile, theirKey, theirSalt, { backend });
      const werift = new SrtpSession({ keys, profile: weriftProfile });
      for (const [i, seq] of seqs.entries()) {
        const plain = rtpPacket(seq, 0x01020304, 100 + i * 25, i % 3 === 0);
        const ours = tx.protect(plain);
        const decrypted = werift.decrypt(Buffer.from(ours));
        expect(decrypted.toString('hex')).toBe(plain.toString('hex'));

        const header = RtpHeader.deSerialize(plain);
        const theirs = werift.encrypt(plain.subarray(header.serializeSize), header);
        const r = rx.unprotect(theirs);
        expect(r.ok && Buffer.from(r.packet).toString('hex')).toBe(plain.toString('hex'));
        expect(r.ok && r.index).toBe(seq < 100 ? 65536 + seq : seq);
      }
      expect(rx.drops.total).toBe(0);
    });

    it('our SRTP output equals werift output for the same key and packet', () => {
      const tx = new SrtpProtectContext(profile, theirKey, theirSalt, { backend });
      const werift = new SrtpSession({ keys, profile: weriftProfile });
      for (const seq of [1, 2, 3, 500]) {
        const plain = rtpPacket(seq, 0xdeadbeef, 160, seq === 2);
        const header = RtpHeader.deSerialize(plain);
        const theirs = werift.encrypt(plain.subarray(header.serializeSize), header);
        expect(Buffer.from(tx.protect(plain)).toString('hex')).toBe(theirs.toString('hex'));
      }
    });

    it('werift unprotects our SRTCP and we unprotect its SRTCP', () => {
      const tx = new SrtpProtectContext(profile, ourKey, ourSalt, { backend });
      const rx = new SrtpUnprotectContext(profile, theirKey, theirSalt, { backend });
      const werift = new SrtcpSession({ keys, profile: weriftProfile });
      for (let n = 0; n < 5; n++) {
        const plain = rtcpPacket(0x0a0b0c0d, n);
        const decrypted = werift.decrypt(Buffer.from(tx.protectRtcp(plain)));
        expect(decrypted.toString('hex')).toBe(plain.toString('hex'));
        const r = rx.unprotectRtcp(werift.encrypt(plain));
        expect(r.ok && Buffer.from(r.packet).toString('hex')).toBe(plain.toString('hex'));
      }
      expect(rx.drops.total).toBe(0);
    });
  });
});
