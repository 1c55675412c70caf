import { InvalidArgumentError } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { keyingMaterialLength, SrtpProtectContext, srtpSessionFromKeyingMaterial } from '../src/index.js';
import { ALL_PROFILES, rtcp, rtp, toHex } from './helpers.js';

describe.each(ALL_PROFILES)('srtpSessionFromKeyingMaterial %s', (profile) => {
  const n = keyingMaterialLength(profile);
  const material = new Uint8Array(n).map((_, i) => (i * 31 + 5) & 0xff);

  it('client and server sessions interoperate in both directions', () => {
    const client = srtpSessionFromKeyingMaterial(profile, material, 'client');
    const server = srtpSessionFromKeyingMaterial(profile, material, 'server');
    const a = rtp(1, 100, new Uint8Array([1, 2, 3]));
    const b = rtp(1, 200, new Uint8Array([4, 5, 6]));
    const r1 = server.remote.unprotect(client.local.protect(a));
    const r2 = client.remote.unprotect(server.local.protect(b));
    expect(r1.ok && toHex(r1.packet)).toBe(toHex(a));
    expect(r2.ok && toHex(r2.packet)).toBe(toHex(b));
    expect(server.remote.unprotectRtcp(client.local.protectRtcp(rtcp(100))).ok).toBe(true);
    // A context never accepts its own direction's packets.
    expect(client.remote.unprotect(client.local.protect(a)).ok).toBe(false);
  });

  it('splits the block as clientKey | serverKey | clientSalt | serverSalt (RFC 5764 §4.2)', () => {
    const half = n / 2;
    const keyLen = profile === 'AEAD_AES_256_GCM' ? 32 : 16;
    const clientKey = material.slice(0, keyLen);
    const clientSalt = material.slice(2 * keyLen, half + keyLen);
    const manual = new SrtpProtectContext(profile, clientKey, clientSalt);
    const server = srtpSessionFromKeyingMaterial(profile, material, 'server');
    expect(server.remote.unprotect(manual.protect(rtp(9, 1, new Uint8Array(8)))).ok).toBe(true);
  });

  it('rejects material of the wrong length', () => {
    expect(() => srtpSessionFromKeyingMaterial(profile, material.subarray(1), 'client')).toThrow(InvalidArgumentError);
  });
});
