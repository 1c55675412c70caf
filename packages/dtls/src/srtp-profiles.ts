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
