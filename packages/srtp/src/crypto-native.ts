/**
 * Loader for the optional native addon (../native/srtp_native.c, built by `npm ci` through
 * node-gyp). Returns undefined when the addon is missing, failed to load, or RTCWIRE_SRTP_NATIVE=0,
 * and the caller falls back to node:crypto.
 */
import { createRequire } from 'node:module';
import type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';

type Handle = object;
type Op = (
  h: Handle,
  src: Uint8Array,
  dst: Uint8Array,
  a: number,
  b: number,
  c: number,
  ssrc: number,
  roc: number,
  seqOrIndex: number,
) => boolean;
/** Must equal SRTP_NATIVE_API_VERSION in native/srtp_native.c (a stale build is ignored). */
const API_VERSION = 2;

interface NativeBinding {
  apiVersion: number;
  createCm(encryptionKey: Uint8Array, authenticationKey: Uint8Array, salt: Uint8Array): Handle;
  createGcm(key: Uint8Array, salt: Uint8Array): Handle;
  cmProtect: Op;
  cmUnprotect: Op;
  gcmSeal: Op;
  gcmOpen: Op;
}

function loadBinding(): NativeBinding | undefined {
  if (typeof process !== 'undefined' && process.env.RTCWIRE_SRTP_NATIVE === '0') return undefined;
  try {
    // src/ and dist/ both sit one level below the package root, next to build/.
    const require = createRequire(import.meta.url);
    const b = require('../build/Release/srtp_native.node') as NativeBinding;
    return b.apiVersion === API_VERSION ? b : undefined;
  } catch {
    return undefined;
  }
}

class NativeCm implements CmCipher {
  constructor(
    private readonly b: NativeBinding,
    private readonly h: Handle,
  ) {}
  protect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    ssrc: number,
    roc: number,
    seqOrIndex: number,
  ): void {
    if (!this.b.cmProtect(this.h, src, dst, encStart, encEnd, (authEnd << 8) | tagLength, ssrc, roc, seqOrIndex)) {
      throw new Error('srtp native: AES-CM protect failed');
    }
  }
  unprotect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    ssrc: number,
    roc: number,
    seqOrIndex: number,
  ): boolean {
    return this.b.cmUnprotect(this.h, src, dst, encStart, encEnd, (authEnd << 8) | tagLength, ssrc, roc, seqOrIndex);
  }
}

class NativeGcm implements GcmCipher {
  constructor(
    private readonly b: NativeBinding,
    private readonly h: Handle,
  ) {}
  seal(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    ssrc: number,
    roc: number,
    seqOrWord: number,
  ): void {
    if (!this.b.gcmSeal(this.h, src, dst, aadEnd, encEnd, 0, ssrc, roc, seqOrWord)) {
      throw new Error('srtp native: AES-GCM seal failed');
    }
  }
  open(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    ssrc: number,
    roc: number,
    seqOrWord: number,
  ): boolean {
    return this.b.gcmOpen(this.h, src, dst, aadEnd, encEnd, 0, ssrc, roc, seqOrWord);
  }
}

function makeFactory(): CipherFactory | undefined {
  const b = loadBinding();
  if (b === undefined) return undefined;
  return {
    name: 'native',
    createCm: (encryptionKey, authenticationKey, salt) =>
      new NativeCm(b, b.createCm(encryptionKey, authenticationKey, salt)),
    createGcm: (key, salt) => new NativeGcm(b, b.createGcm(key, salt)),
  };
}

/** The native factory, or undefined when the addon is not available. */
export const nativeFactory: CipherFactory | undefined = makeFactory();
