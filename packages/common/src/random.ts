/**
 * Randomness is injected into every protocol core (ARCHITECTURE.md principle 2).
 * - `secureRandom`: the platform CSPRNG; required for DTLS randoms, ICE credentials, keys.
 * - `seededRandom(seed)`: deterministic (xoshiro128**), for simulations and reproducible tests.
 *   Never use it for secrets.
 */
export interface RandomSource {
  /** Fill and return `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** True when this source is cryptographically secure. */
  readonly secure: boolean;
}

class SecureRandom implements RandomSource {
  readonly secure = true;
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 65536) {
      globalThis.crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
    }
    return out;
  }
  uint32(): number {
    const b = this.bytes(4);
    return ((b[0] as number) * 2 ** 24 + (((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number))) >>> 0;
  }
  float(): number {
    return this.uint32() / 2 ** 32;
  }
}

export const secureRandom: RandomSource = new SecureRandom();

/** xoshiro128** seeded by splitmix32; fast, good statistical quality, deterministic. */
class SeededRandom implements RandomSource {
  readonly secure = false;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  float(): number {
    return this.uint32() / 2 ** 32;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      let v = this.uint32();
      for (let j = 0; j < 4 && i + j < n; j++) {
        out[i + j] = v & 0xff;
        v >>>= 8;
      }
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export function seededRandom(seed: number): RandomSource {
  return new SeededRandom(seed);
}

/** Uniform integer in [min, max] (inclusive). */
export function randomInt(random: RandomSource, min: number, max: number): number {
  return min + Math.floor(random.float() * (max - min + 1));
}

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A random string over the ICE-char alphabet (RFC 8445 §5.3), e.g. for ufrag/pwd. */
export function randomIceString(random: RandomSource, length: number): string {
  const b = random.bytes(length);
  let s = '';
  for (const v of b) s += ICE_CHARS[v & 63];
  return s;
}
