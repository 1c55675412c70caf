import { InvalidArgumentError } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { FAILURES, SrtpProtectContext, SrtpUnprotectContext, type SrtpProfileName } from '../src/index.js';
import { BACKENDS } from './backends.js';
import { ALL_PROFILES, hex, masterKeys, rtcp, rtp, toHex } from './helpers.js';

const cases = BACKENDS.flatMap((b) => ALL_PROFILES.map((p) => [p, b] as const));

function pair(profile: SrtpProfileName, backend: 'native' | 'node-crypto', replayWindowSize = 64) {
  const { key, salt } = masterKeys(profile);
  return {
    tx: new SrtpProtectContext(profile, key, salt, { backend }),
    rx: new SrtpUnprotectContext(profile, key, salt, { backend, replayWindowSize }),
  };
}

describe.each(cases)('%s (%s)', (profile, backend) => {
  const payload = new Uint8Array(200).map((_, i) => i);

  it('round-trips RTP, keeping the header, CSRCs and extension in clear', () => {
    const { tx, rx } = pair(profile, backend);
    const plain = rtp(1, 0xcafe, payload, { csrcs: [1, 2], extension: new Uint8Array([0x10, 0xaa, 0, 0]) });
    const srtp = tx.protect(plain);
    const hdr = 12 + 8 + 8;
    expect(toHex(srtp.subarray(0, hdr))).toBe(toHex(plain.subarray(0, hdr)));
    expect(toHex(srtp.subarray(hdr, plain.length))).not.toBe(toHex(plain.subarray(hdr)));
    const r = rx.unprotect(srtp);
    expect(r.ok && toHex(r.packet)).toBe(toHex(plain));
    expect(r.ok && r.ssrc).toBe(0xcafe);
  });

  it('round-trips SRTCP and numbers the index per SSRC', () => {
    const { tx, rx } = pair(profile, backend);
    for (let i = 0; i < 3; i++) {
      const r = rx.unprotectRtcp(tx.protectRtcp(rtcp(7, 4)));
      expect(r.ok && r.index).toBe(i);
      expect(r.ok && toHex(r.packet)).toBe(toHex(rtcp(7, 4)));
    }
  });

  it('carries the ROC across 65535 -> 0 with reordering around the wrap', () => {
    const { tx, rx } = pair(profile, backend);
    const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4];
    const sent = seqs.map((s) => tx.protect(rtp(s, 9, payload)));
    expect(tx.rolloverCounter(9)).toBe(1);
    // Arrival order: reordered across the wrap.
    const order = [0, 1, 2, 6, 3, 4, 7, 5, 8, 10, 9];
    for (const i of order) {
      const r = rx.unprotect(sent[i]!);
      expect(r.ok).toBe(true);
      expect(r.ok && r.index).toBe(seqs[i]! < 100 ? 65536 + seqs[i]! : seqs[i]);
    }
    expect(rx.rolloverCounter(9)).toBe(1);
    expect(rx.drops.total).toBe(0);
  });

  it('rejects and counts tampered, replayed, too-old and truncated packets', () => {
    const { tx, rx } = pair(profile, backend);
    const packets = Array.from({ length: 70 }, (_, i) => tx.protect(rtp(100 + i, 5, payload)));
    const tampered = packets[0]!.slice();
    tampered[30] = (tampered[30] ?? 0) ^ 0x80;
    const failed = rx.unprotect(tampered);
    expect(failed).toEqual({ ok: false, reason: 'auth_failed' });
    expect(failed).toBe(FAILURES.auth_failed); // preallocated: nothing allocated per bad packet
    expect(Object.isFrozen(failed)).toBe(true);
    expect(rx.unprotect(packets[0]!).ok).toBe(true); // a failed packet does not poison the window
    expect(rx.unprotect(packets[0]!)).toEqual({ ok: false, reason: 'replayed' });
    expect(rx.unprotect(packets[69]!).ok).toBe(true);
    expect(rx.unprotect(packets[1]!)).toEqual({ ok: false, reason: 'too_old' }); // 68 behind, window 64
    expect(rx.unprotect(packets[10]!).ok).toBe(true);
    expect(rx.unprotect(packets[2]!.subarray(0, 12))).toEqual({ ok: false, reason: 'too_short' });
    const wrongVersion = packets[3]!.slice();
    wrongVersion[0] = 0x40;
    expect(rx.unprotect(wrongVersion)).toEqual({ ok: false, reason: 'bad_header' });
    expect(rx.drops.toJSON()).toEqual({
      'srtp:auth_failed': 1,
      'srtp:replayed': 1,
      'srtp:too_old': 1,
      'srtp:too_short': 1,
      'srtp:bad_header': 1,
    });
  });

  it('rejects replayed and tampered SRTCP', () => {
    const { tx, rx } = pair(profile, backend);
    const p = tx.protectRtcp(rtcp(7, 2));
    const bad = p.slice();
    bad[9] = (bad[9] ?? 0) ^ 1;
    expect(rx.unprotectRtcp(bad)).toEqual({ ok: false, reason: 'auth_failed' });
    expect(rx.unprotectRtcp(p).ok).toBe(true);
    expect(rx.unprotectRtcp(p)).toEqual({ ok: false, reason: 'replayed' });
    expect(rx.unprotectRtcp(p.subarray(0, 10))).toEqual({ ok: false, reason: 'too_short' });
    expect(rx.drops.get('srtcp:auth_failed')).toBe(1);
    expect(rx.drops.get('srtcp:replayed')).toBe(1);
  });

  it('a larger replay window accepts deeper reordering', () => {
    const { tx, rx } = pair(profile, backend, 512);
    const packets = Array.from({ length: 300 }, (_, i) => tx.protect(rtp(i, 5, payload)));
    expect(rx.unprotect(packets[299]!).ok).toBe(true);
    expect(rx.unprotect(packets[0]!).ok).toBe(true);
  });

  it('rejects a packet from another key', () => {
    const { tx } = pair(profile, backend);
    const { key, salt } = masterKeys(profile, 2);
    const other = new SrtpUnprotectContext(profile, key, salt, { backend });
    expect(other.unprotect(tx.protect(rtp(1, 1, payload)))).toEqual({ ok: false, reason: 'auth_failed' });
  });
});

describe('SSRC admission and local misuse', () => {
  it('refuses new SSRCs beyond maxSsrcs or rejected by acceptSsrc, without creating state', () => {
    const { key, salt } = masterKeys('AES_CM_128_HMAC_SHA1_80');
    const tx = new SrtpProtectContext('AES_CM_128_HMAC_SHA1_80', key, salt);
    const rx = new SrtpUnprotectContext('AES_CM_128_HMAC_SHA1_80', key, salt, {
      maxSsrcs: 1,
      acceptSsrc: (ssrc) => ssrc !== 666,
    });
    expect(rx.unprotect(tx.protect(rtp(1, 666, new Uint8Array(10))))).toEqual({ ok: false, reason: 'unknown_ssrc' });
    expect(rx.unprotect(tx.protect(rtp(1, 1, new Uint8Array(10)))).ok).toBe(true);
    expect(rx.unprotect(tx.protect(rtp(1, 2, new Uint8Array(10))))).toEqual({ ok: false, reason: 'unknown_ssrc' });
    expect(rx.unprotect(tx.protect(rtp(2, 1, new Uint8Array(10)))).ok).toBe(true);
    expect(rx.drops.get('srtp:unknown_ssrc')).toBe(2);
  });

  it('throws InvalidArgumentError for bad keys or local non-RTP input', () => {
    const { key, salt } = masterKeys('AES_CM_128_HMAC_SHA1_80');
    expect(() => new SrtpProtectContext('AES_CM_128_HMAC_SHA1_80', key.subarray(1), salt)).toThrow(
      InvalidArgumentError,
    );
    const tx = new SrtpProtectContext('AES_CM_128_HMAC_SHA1_80', key, salt);
    expect(() => tx.protect(new Uint8Array(5))).toThrow(InvalidArgumentError);
    expect(() => tx.protectRtcp(new Uint8Array(5))).toThrow(InvalidArgumentError);
  });

  it('honours a ROC set out of band', () => {
    const { key, salt } = masterKeys('AEAD_AES_128_GCM');
    const tx = new SrtpProtectContext('AEAD_AES_128_GCM', key, salt);
    tx.setRolloverCounter(3, 7);
    const rx = new SrtpUnprotectContext('AEAD_AES_128_GCM', key, salt, { initialRoc: 7 });
    const r = rx.unprotect(tx.protect(rtp(10, 3, new Uint8Array(4))));
    expect(r.ok && r.index).toBe(7 * 65536 + 10);
    const rx0 = new SrtpUnprotectContext('AEAD_AES_128_GCM', key, salt);
    expect(rx0.unprotect(tx.protect(rtp(11, 3, new Uint8Array(4)))).ok).toBe(false);
  });
});

describe('SRTCP with E = 0 under AES-CM (authenticated, not encrypted; RFC 3711 §3.4)', () => {
  // Golden packet from an independent implementation (all-zero master key and salt, index 1).
  const packet = hex(
    '80cc000810feff99466c75782105000310feff990000100200001603000000090000000400000001a0573cb69ef3c96e1253',
  );

  it.each(BACKENDS)('is accepted and returned as sent (%s)', (backend) => {
    const zeros = { key: new Uint8Array(16), salt: new Uint8Array(14) };
    const rx = new SrtpUnprotectContext('AES_CM_128_HMAC_SHA1_80', zeros.key, zeros.salt, { backend });
    const r = rx.unprotectRtcp(packet);
    expect(r.ok && toHex(r.packet)).toBe(toHex(packet.subarray(0, packet.length - 14)));
    expect(r.ok && r.index).toBe(1);
    const bad = packet.slice();
    bad[12] = (bad[12] ?? 0) ^ 1;
    expect(
      new SrtpUnprotectContext('AES_CM_128_HMAC_SHA1_80', zeros.key, zeros.salt, { backend }).unprotectRtcp(bad).ok,
    ).toBe(false);
  });
});
