/** DTLS-SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2). */
export interface SrtpProfile {
  readonly id: number;
  readonly name: string;
  readonly keyLength: number;
  readonly saltLength: number;
}

export const SRTP_PROFILES: readonly SrtpProfile[] = [
  { id: 0x0007, name: 'SRTP_AEAD_AES_128_GCM', keyLength: 16, saltLength: 12 },
  { id: 0x0008, name: 'SRTP_AEAD_AES_256_GCM', keyLength: 32, saltLength: 12 },
  { id: 0x0001, name: 'SRTP_AES128_CM_SHA1_80', keyLength: 16, saltLength: 14 },
  { id: 0x0002, name: 'SRTP_AES128_CM_SHA1_32', keyLength: 16, saltLength: 14 },
];

/** Default preference: GCM first. */
export const DEFAULT_SRTP_PROFILES: readonly number[] = SRTP_PROFILES.map((p) => p.id);

export function srtpProfileById(id: number): SrtpProfile | undefined {
  return SRTP_PROFILES.find((p) => p.id === id);
}

/** Keying-material length for a profile: 2 * (key + salt) (RFC 5764 §4.2). */
export function srtpKeyingMaterialLength(profile: SrtpProfile): number {
  return 2 * (profile.keyLength + profile.saltLength);
}

/** Server choice (RFC 5764 §4.1.1): the first of the SERVER's preferences the client offered. */
export function chooseSrtpProfile(
  serverPreference: readonly number[],
  clientOffered: readonly number[],
): number | undefined {
  return serverPreference.find((p) => clientOffered.includes(p));
}

/** This side's (local) and the peer's (remote) SRTP master key and salt. */
export interface SrtpKeys {
  readonly profile: number;
  readonly localKey: Uint8Array;
  readonly localSalt: Uint8Array;
  readonly remoteKey: Uint8Array;
  readonly remoteSalt: Uint8Array;
}

/**
 * Split exported keying material (RFC 5764 §4.2): client key | server key | client salt | server salt.
 */
export function splitSrtpKeyingMaterial(
  profile: SrtpProfile,
  material: Uint8Array,
  role: 'client' | 'server',
): SrtpKeys {
  const k = profile.keyLength;
  const s = profile.saltLength;
  const clientKey = material.subarray(0, k);
  const serverKey = material.subarray(k, 2 * k);
  const clientSalt = material.subarray(2 * k, 2 * k + s);
  const serverSalt = material.subarray(2 * k + s, 2 * k + 2 * s);
  return role === 'client'
    ? { profile: profile.id, localKey: clientKey, localSalt: clientSalt, remoteKey: serverKey, remoteSalt: serverSalt }
    : { profile: profile.id, localKey: serverKey, localSalt: serverSalt, remoteKey: clientKey, remoteSalt: clientSalt };
}
