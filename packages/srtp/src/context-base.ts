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
}

export abstract class SrtpContextBase {
  readonly profile: SrtpProfileInfo;
  readonly backend: 'native' | 'node-crypto';
  protected readonly rtp: DirectionCiphers;
  protected readonly rtcp: DirectionCiphers;
  protected readonly initialRoc: number;

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
        ? { cm: factory.createCm(k.encryptionKey, k.authenticationKey, k.salt), gcm: undefined }
        : { cm: undefined, gcm: factory.createGcm(k.encryptionKey, k.salt) };
    };
    this.rtp = make(false);
    this.rtcp = make(true);
  }
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

export function writeU32(p: Uint8Array, o: number, v: number): void {
  p[o] = v >>> 24;
  p[o + 1] = (v >>> 16) & 0xff;
  p[o + 2] = (v >>> 8) & 0xff;
  p[o + 3] = v & 0xff;
}

export function readU32(p: Uint8Array, o: number): number {
  return (((p[o] ?? 0) << 24) | ((p[o + 1] ?? 0) << 16) | ((p[o + 2] ?? 0) << 8) | (p[o + 3] ?? 0)) >>> 0;
}

/** Output buffers up to this size are carved from a shared slab; larger ones get their own. */
const SLAB_SIZE = 16384;
const SLAB_MAX_ALLOC = 4096;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabOffset = 0;

/**
 * A new Uint8Array of `n` bytes. Small arrays are views into a shared 16 KiB slab (like Node's
 * Buffer pool, but one object per packet instead of two), 8-byte aligned. Every byte is overwritten
 * before the array reaches a caller.
 */
export function allocBytes(n: number): Uint8Array {
  if (n > SLAB_MAX_ALLOC) return new Uint8Array(n);
  if (slabOffset + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabOffset = 0;
  }
  const out = new Uint8Array(slab, slabOffset, n);
  slabOffset = (slabOffset + n + 7) & ~7;
  return out;
}
