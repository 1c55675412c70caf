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

// RFC 8410 DER wrappers around a raw 32-byte X25519 key.
const X25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const X25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const b = Buffer.alloc(prefix.byteLength + raw.byteLength);
  b.set(prefix, 0);
  b.set(raw, prefix.byteLength);
  return b;
}

function bad(message: string): FatalAlert {
  return new FatalAlert(AlertDescription.illegal_parameter, message);
}

class X25519Key implements EphemeralKey {
  readonly group = NamedGroup.x25519;
  readonly publicKey: Uint8Array;
  private readonly privateKey: KeyObject;
  constructor(random: RandomSource) {
    this.privateKey = createPrivateKey({
      key: withPrefix(X25519_PKCS8_PREFIX, random.bytes(32)),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(spki.subarray(spki.byteLength - 32));
  }
  deriveSecret(peerPublic: Uint8Array): Uint8Array {
    if (peerPublic.byteLength !== 32) throw bad('X25519 public value must be 32 bytes');
    let secret: Buffer;
    try {
      const publicKey = createPublicKey({
        key: withPrefix(X25519_SPKI_PREFIX, peerPublic),
        format: 'der',
        type: 'spki',
      });
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
