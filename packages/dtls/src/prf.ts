import { createHash, createHmac } from 'node:crypto';

export type HashName = 'sha256' | 'sha384';

const encoder = new TextEncoder();

/** P_hash(secret, seed) truncated to `length` bytes (RFC 5246 §5). */
export function pHash(hash: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a: Uint8Array = createHmac(hash, secret).update(seed).digest(); // A(1)
  let at = 0;
  while (at < length) {
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.set(block.subarray(0, Math.min(block.byteLength, length - at)), at);
    at += block.byteLength;
    if (at < length) a = createHmac(hash, secret).update(a).digest();
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed) (RFC 5246 §5). */
export function prf(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const l = encoder.encode(label);
  const s = new Uint8Array(l.byteLength + seed.byteLength);
  s.set(l, 0);
  s.set(seed, l.byteLength);
  return pHash(hash, secret, s, length);
}

export function digest(hash: HashName, parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash(hash);
  for (const p of parts) h.update(p);
  return h.digest();
}

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** master_secret (RFC 5246 §8.1), or the extended one over `sessionHash` (RFC 7627 §4). */
export function computeMasterSecret(
  hash: HashName,
  preMaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | undefined,
): Uint8Array {
  if (sessionHash) return prf(hash, preMaster, 'extended master secret', sessionHash, 48);
  return prf(hash, preMaster, 'master secret', concat2(clientRandom, serverRandom), 48);
}

/** key_block = PRF(master, "key expansion", server_random + client_random) (RFC 5246 §6.3). */
export function computeKeyBlock(
  hash: HashName,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  length: number,
): Uint8Array {
  return prf(hash, master, 'key expansion', concat2(serverRandom, clientRandom), length);
}

/** Finished.verify_data (RFC 5246 §7.4.9): 12 bytes. */
export function computeVerifyData(
  hash: HashName,
  master: Uint8Array,
  client: boolean,
  transcriptHash: Uint8Array,
): Uint8Array {
  return prf(hash, master, client ? 'client finished' : 'server finished', transcriptHash, 12);
}

/**
 * RFC 5705 §4 keying-material exporter: PRF(master, label, client_random + server_random
 * [+ context_length + context]).
 */
export function exportKeyingMaterial(
  hash: HashName,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  label: string,
  length: number,
  context?: Uint8Array,
): Uint8Array {
  let seed = concat2(clientRandom, serverRandom);
  if (context) {
    const ctx = new Uint8Array(2 + context.byteLength);
    ctx[0] = context.byteLength >> 8;
    ctx[1] = context.byteLength & 0xff;
    ctx.set(context, 2);
    seed = concat2(seed, ctx);
  }
  return prf(hash, master, label, seed, length);
}

/** PSK pre-master secret (RFC 4279 §2): uint16 N, N zero bytes, uint16 N, psk. */
export function pskPreMasterSecret(psk: Uint8Array): Uint8Array {
  const n = psk.byteLength;
  const out = new Uint8Array(4 + 2 * n);
  out[0] = n >> 8;
  out[1] = n & 0xff;
  out[2 + n] = n >> 8;
  out[3 + n] = n & 0xff;
  out.set(psk, 4 + n);
  return out;
}
