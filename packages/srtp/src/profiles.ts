/**
 * SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2) and their key, salt and tag lengths.
 */
export type SrtpProfileName =
  | 'AES_CM_128_HMAC_SHA1_80'
  | 'AES_CM_128_HMAC_SHA1_32'
  | 'AEAD_AES_128_GCM'
  | 'AEAD_AES_256_GCM';

export interface SrtpProfileInfo {
  readonly name: SrtpProfileName;
  /** DTLS use_srtp protection profile identifier. */
  readonly id: number;
  readonly kind: 'cm' | 'gcm';
  readonly masterKeyLength: number;
  readonly masterSaltLength: number;
  /** HMAC-SHA1 session authentication key length (0 for AEAD). */
  readonly authKeyLength: number;
  readonly srtpTagLength: number;
  readonly srtcpTagLength: number;
}

export const SRTP_PROFILES: Readonly<Record<SrtpProfileName, SrtpProfileInfo>> = {
  // RFC 3711 §5, RFC 5764 §4.1.2: the _32 profile truncates only the SRTP tag; SRTCP keeps 80 bits.
  AES_CM_128_HMAC_SHA1_80: {
    name: 'AES_CM_128_HMAC_SHA1_80',
    id: 0x0001,
    kind: 'cm',
    masterKeyLength: 16,
    masterSaltLength: 14,
    authKeyLength: 20,
    srtpTagLength: 10,
    srtcpTagLength: 10,
  },
  AES_CM_128_HMAC_SHA1_32: {
    name: 'AES_CM_128_HMAC_SHA1_32',
    id: 0x0002,
    kind: 'cm',
    masterKeyLength: 16,
    masterSaltLength: 14,
    authKeyLength: 20,
    srtpTagLength: 4,
    srtcpTagLength: 10,
  },
  // RFC 7714 §14.2: 96-bit salt, 128-bit tag for both SRTP and SRTCP.
  AEAD_AES_128_GCM: {
    name: 'AEAD_AES_128_GCM',
    id: 0x0007,
    kind: 'gcm',
    masterKeyLength: 16,
    masterSaltLength: 12,
    authKeyLength: 0,
    srtpTagLength: 16,
    srtcpTagLength: 16,
  },
  AEAD_AES_256_GCM: {
    name: 'AEAD_AES_256_GCM',
    id: 0x0008,
    kind: 'gcm',
    masterKeyLength: 32,
    masterSaltLength: 12,
    authKeyLength: 0,
    srtpTagLength: 16,
    srtcpTagLength: 16,
  },
};

/** Looks up a profile by name or DTLS use_srtp identifier; undefined when unsupported. */
export function srtpProfile(nameOrId: SrtpProfileName | number): SrtpProfileInfo | undefined {
  if (typeof nameOrId === 'string') return SRTP_PROFILES[nameOrId];
  return Object.values(SRTP_PROFILES).find((p) => p.id === nameOrId);
}
