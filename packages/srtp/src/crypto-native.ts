/**
 * Loader for the optional native addon (../native/srtp_native.c, built by `npm ci` through
 * node-gyp). Returns undefined when the addon is missing, failed to load, or RTCWIRE_SRTP_NATIVE=0,
 * and the caller falls back to node:crypto.
 */
import { createRequire } from 'node:module';
import type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';

type Handle = object;
interface NativeBinding {
  createCm(encryptionKey: Uint8Array, authenticationKey: Uint8Array): Handle;
  cmProtect(
    h: Handle,
    src: Uint8Array,
    dst: Uint8Array,
    a: number,
    b: number,
    c: number,
    iv: Uint8Array,
    roc: number,
  ): boolean;
  cmUnprotect(
    h: Handle,
    src: Uint8Array,
    dst: Uint8Array,
    a: number,
    b: number,
    c: number,
    iv: Uint8Array,
    roc: number,
  ): boolean;
  createGcm(key: Uint8Array): Handle;
  gcmSeal(
    h: Handle,
    src: Uint8Array,
    dst: Uint8Array,
    a: number,
    b: number,
    c: number,
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): boolean;
  gcmOpen(
    h: Handle,
    src: Uint8Array,
    dst: Uint8Array,
    a: number,
    b: number,
    c: number,
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): boolean;
}

function loadBinding(): NativeBinding | undefined {
  if (typeof process !== 'undefined' && process.env.RTCWIRE_SRTP_NATIVE === '0') return undefined;
  try {
    // src/ and dist/ both sit one level below the package root, next to build/.
    const require = createRequire(import.meta.url);
    return require('../build/Release/srtp_native.node') as NativeBinding;
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
    iv: Uint8Array,
    roc: number,
  ): void {
    if (!this.b.cmProtect(this.h, src, dst, encStart, encEnd, (authEnd << 8) | tagLength, iv, roc)) {
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
    iv: Uint8Array,
    roc: number,
  ): boolean {
    return this.b.cmUnprotect(this.h, src, dst, encStart, encEnd, (authEnd << 8) | tagLength, iv, roc);
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
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): void {
    if (!this.b.gcmSeal(this.h, src, dst, aadEnd, encEnd, 0, iv, aad2))
      throw new Error('srtp native: AES-GCM seal failed');
  }
  open(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): boolean {
    return this.b.gcmOpen(this.h, src, dst, aadEnd, encEnd, 0, iv, aad2);
  }
}

function makeFactory(): CipherFactory | undefined {
  const b = loadBinding();
  if (b === undefined) return undefined;
  return {
    name: 'native',
    createCm: (encryptionKey, authenticationKey) => new NativeCm(b, b.createCm(encryptionKey, authenticationKey)),
    createGcm: (key) => new NativeGcm(b, b.createGcm(key)),
  };
}

/** The native factory, or undefined when the addon is not available. */
export const nativeFactory: CipherFactory | undefined = makeFactory();
