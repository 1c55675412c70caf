import { type KeyObject, createECDH, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { RandomSource } from '@rtcwire/common';
import { AlertDescription, FatalAlert } from './alert.js';

/** NamedGroup codes (RFC 8422 §5.1.1). */
export const NamedGroup = { secp256r1: 23, secp384r1: 24, x25519: 29 } as const;
export type GroupName = 'x25519' | 'secp256r1' | 'secp384r1';

export function groupName(code: number): GroupName | undefined {
  if (code === NamedGroup.x25519) return 'x25519';
  if (code === NamedGroup.secp256r1) return 'secp256r1';
  if (code === NamedGroup.secp384r1) return 'secp384r1';
  return undefined;
}

/** An ephemeral key pair whose private key comes from the injected RandomSource. */
export interface EphemeralKey {
  readonly group: number;
  readonly publicKey: Uint8Array;
  /** The shared secret with the peer's public value; throws FatalAlert(illegal_parameter) on a bad point. */
  deriveSecret(peerPublic: Uint8Array): Uint8Array;
}

// JWK import (RFC 8037 OKP keys) is about ten times faster in node:crypto than decoding DER.
function b64url(raw: Uint8Array): string {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url');
}

function bad(message: string): FatalAlert {
  return new FatalAlert(AlertDescription.illegal_parameter, message);
}

class X25519Key implements EphemeralKey {
  readonly group = NamedGroup.x25519;
  readonly publicKey: Uint8Array;
  private readonly privateKey: KeyObject;
  constructor(random: RandomSource) {
    // `x` is required by the JWK parser but unused when `d` is present; the public key is derived.
    const jwk = { kty: 'OKP', crv: 'X25519', d: b64url(random.bytes(32)), x: '' };
    this.privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const x = createPublicKey(this.privateKey).export({ format: 'jwk' }).x ?? '';
    this.publicKey = new Uint8Array(Buffer.from(x, 'base64url'));
  }
  deriveSecret(peerPublic: Uint8Array): Uint8Array {
    if (peerPublic.byteLength !== 32) throw bad('X25519 public value must be 32 bytes');
    let secret: Buffer;
    try {
      const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(peerPublic) }, format: 'jwk' });
      secret = diffieHellman({ privateKey: this.privateKey, publicKey });
    } catch {
      throw bad('invalid X25519 public value');
    }
    // RFC 8422 §5.11: reject the all-zero shared secret.
    if (secret.every((b) => b === 0)) throw bad('X25519 shared secret is zero');
    return secret;
  }
}

class NistKey implements EphemeralKey {
  readonly group: number;
  readonly publicKey: Uint8Array;
  private readonly ecdh: ReturnType<typeof createECDH>;
  constructor(group: number, random: RandomSource) {
    this.group = group;
    const curve = group === NamedGroup.secp256r1 ? 'prime256v1' : 'secp384r1';
    const size = group === NamedGroup.secp256r1 ? 32 : 48;
    this.ecdh = createECDH(curve);
    // A random scalar is out of range with negligible probability; retry then.
    for (;;) {
      try {
        this.ecdh.setPrivateKey(random.bytes(size));
        break;
      } catch {
        /* retry */
      }
    }
    this.publicKey = new Uint8Array(this.ecdh.getPublicKey());
  }
  deriveSecret(peerPublic: Uint8Array): Uint8Array {
    // RFC 8422 §5.4.1: uncompressed points only.
    if (peerPublic[0] !== 4 || peerPublic.byteLength !== this.publicKey.byteLength) throw bad('bad EC point format');
    try {
      return this.ecdh.computeSecret(peerPublic);
    } catch {
      throw bad('invalid EC point');
    }
  }
}

export function generateEphemeralKey(group: number, random: RandomSource): EphemeralKey {
  if (group === NamedGroup.x25519) return new X25519Key(random);
  if (group === NamedGroup.secp256r1 || group === NamedGroup.secp384r1) return new NistKey(group, random);
  throw new RangeError(`unsupported group ${group}`);
}
