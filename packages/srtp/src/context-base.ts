/**
 * Key setup and IV construction shared by the protect and unprotect contexts of one direction.
 */
import { InvalidArgumentError } from '@rtcwire/common';
import type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';
import { nodeCryptoFactory } from './crypto-js.js';
import { nativeFactory } from './crypto-native.js';
import { deriveSessionKeys, type SessionKeys } from './kdf.js';
import { type SrtpProfileInfo, type SrtpProfileName, srtpProfile } from './profiles.js';

export type SrtpBackend = 'auto' | 'native' | 'node-crypto';

export interface SrtpContextOptions {
  /** Cipher implementation: the native addon when built ('auto', default) or node:crypto. */
  readonly backend?: SrtpBackend;
  /** ROC assumed for an SSRC's first packet (RFC 3711 §3.3.1), default 0. */
  readonly initialRoc?: number;
  /**
   * Use these session keys instead of deriving them from the master key and salt (which are then
   * ignored). For vectors stated at the session-key level (RFC 7714 §16–17) and for tests.
   */
  readonly sessionKeys?: { readonly rtp: SessionKeys; readonly rtcp: SessionKeys };
}

/** Name of the backend 'auto' resolves to in this process: 'native' when the addon loaded. */
export function defaultSrtpBackend(): 'native' | 'node-crypto' {
  return nativeFactory === undefined ? 'node-crypto' : 'native';
}

function pickFactory(backend: SrtpBackend): CipherFactory {
  if (backend === 'node-crypto') return nodeCryptoFactory;
  if (backend === 'native') {
    if (nativeFactory === undefined) throw new InvalidArgumentError('srtp: native addon is not available');
    return nativeFactory;
  }
  return nativeFactory ?? nodeCryptoFactory;
}

interface DirectionCiphers {
  readonly cm: CmCipher | undefined;
  readonly gcm: GcmCipher | undefined;
  readonly salt: Uint8Array;
}

export abstract class SrtpContextBase {
  readonly profile: SrtpProfileInfo;
  readonly backend: 'native' | 'node-crypto';
  protected readonly rtp: DirectionCiphers;
  protected readonly rtcp: DirectionCiphers;
  protected readonly initialRoc: number;
  /** Scratch IV (16 bytes for AES-CM, 12 for GCM), rewritten per packet. */
  protected readonly iv: Uint8Array;

  constructor(
    profile: SrtpProfileName | SrtpProfileInfo,
    masterKey: Uint8Array,
    masterSalt: Uint8Array,
    options: SrtpContextOptions = {},
  ) {
    const info = typeof profile === 'string' ? srtpProfile(profile) : profile;
    if (info === undefined) throw new InvalidArgumentError(`srtp: unknown profile ${String(profile)}`);
    const given = options.sessionKeys;
    if (
      given === undefined &&
      (masterKey.length !== info.masterKeyLength || masterSalt.length !== info.masterSaltLength)
    ) {
      throw new InvalidArgumentError(
        `srtp: ${info.name} needs a ${info.masterKeyLength}-byte key and ${info.masterSaltLength}-byte salt`,
      );
    }
    this.profile = info;
    const factory = pickFactory(options.backend ?? 'auto');
    this.backend = factory.name;
    this.initialRoc = options.initialRoc ?? 0;
    const make = (rtcp: boolean): DirectionCiphers => {
      const k =
        given === undefined ? deriveSessionKeys(info, masterKey, masterSalt, rtcp) : rtcp ? given.rtcp : given.rtp;
      return info.kind === 'cm'
        ? { cm: factory.createCm(k.encryptionKey, k.authenticationKey), gcm: undefined, salt: k.salt }
        : { cm: undefined, gcm: factory.createGcm(k.encryptionKey), salt: k.salt };
    };
    this.rtp = make(false);
    this.rtcp = make(true);
    this.iv = new Uint8Array(info.kind === 'cm' ? 16 : 12);
  }

  /**
   * SRTP IV. AES-CM (RFC 3711 §4.1.1): (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
   * AES-GCM (RFC 7714 §8.1): (0x0000 || SSRC || ROC || SEQ) XOR salt.
   */
  protected srtpIv(ssrc: number, roc: number, seq: number): Uint8Array {
    const iv = this.iv;
    iv.set(this.rtp.salt);
    const o = this.profile.kind === 'cm' ? 4 : 2;
    xor32(iv, o, ssrc);
    xor32(iv, o + 4, roc);
    iv[o + 8] = (iv[o + 8] ?? 0) ^ (seq >>> 8);
    iv[o + 9] = (iv[o + 9] ?? 0) ^ (seq & 0xff);
    if (o === 4) {
      iv[14] = 0;
      iv[15] = 0;
    }
    return iv;
  }

  /**
   * SRTCP IV. AES-CM (RFC 3711 §4.1.1 with the SRTCP index): bytes 4–7 SSRC, 10–13 index.
   * AES-GCM (RFC 7714 §9.1): (0x0000 || SSRC || 0x0000 || index) XOR salt.
   */
  protected srtcpIv(ssrc: number, index: number): Uint8Array {
    const iv = this.iv;
    iv.set(this.rtcp.salt);
    if (this.profile.kind === 'cm') {
      xor32(iv, 4, ssrc);
      xor32(iv, 10, index);
      iv[14] = 0;
      iv[15] = 0;
    } else {
      xor32(iv, 2, ssrc);
      xor32(iv, 8, index);
    }
    return iv;
  }
}

function xor32(b: Uint8Array, o: number, v: number): void {
  b[o] = (b[o] ?? 0) ^ (v >>> 24);
  b[o + 1] = (b[o + 1] ?? 0) ^ ((v >>> 16) & 0xff);
  b[o + 2] = (b[o + 2] ?? 0) ^ ((v >>> 8) & 0xff);
  b[o + 3] = (b[o + 3] ?? 0) ^ (v & 0xff);
}

/** RTP header length (RFC 3550 §5.1, §5.3.1) or -1 when the header overruns `len` / version != 2. */
export function rtpHeaderLength(p: Uint8Array, len: number): number {
  if (len < 12) return -1;
  const b0 = p[0] ?? 0;
  if (b0 >>> 6 !== 2) return -1;
  let n = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (n + 4 > len) return -1;
    n += 4 + (((p[n + 2] ?? 0) << 8) | (p[n + 3] ?? 0)) * 4;
  }
  return n <= len ? n : -1;
}

export function readU32(p: Uint8Array, o: number): number {
  return (((p[o] ?? 0) << 24) | ((p[o + 1] ?? 0) << 16) | ((p[o + 2] ?? 0) << 8) | (p[o + 3] ?? 0)) >>> 0;
}

/**
 * Uninitialised bytes from Node's small-buffer pool, typed as a plain Uint8Array (whose slice()
 * copies, unlike Buffer's). Every byte is overwritten before the array is returned to a caller.
 */
export function allocBytes(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}
