/**
 * Per-packet cost of the ways to do SRTP crypto from Node, for one 1,200-byte AES_CM_128_HMAC_SHA1_80
 * protect and one AEAD_AES_128_GCM seal. Explains the choice of backend in @rtcwire/srtp:
 *  - cm-ctr-per-packet: createCipheriv('aes-128-ctr') + createHmac per packet (the usual approach)
 *  - cm-ecb-keystream: one long-lived AES-ECB cipher encrypts the counter blocks (no createCipheriv),
 *    + createHmac per packet — the node:crypto fallback of @rtcwire/srtp
 *  - cm-ecb-hash-hmac: as above, HMAC computed with two one-shot crypto.hash('sha1') calls
 *  - gcm-per-packet: createCipheriv('aes-128-gcm') per packet — the GCM fallback
 *  - native: @rtcwire/srtp with its OpenSSL addon (reused EVP contexts, precomputed HMAC pads)
 * Each line: rtcwire = the option's packets/s, werift = werift's protect of the same packet.
 */
import { createCipheriv, createHmac, hash } from 'node:crypto';
import { defaultSrtpBackend, SrtpProtectContext } from '@rtcwire/srtp';
import { RtpHeader, SrtpSession } from 'werift';
import { compare, report } from './lib/measure.js';

const key = Buffer.alloc(16, 0x42);
const salt14 = Buffer.alloc(14, 0x17);
const salt12 = Buffer.alloc(12, 0x17);
const authKey = Buffer.alloc(20, 0x33);
const packet = Buffer.alloc(1212, 0xab);
packet[0] = 0x80;
packet.writeUInt32BE(0x11223344, 8);
const iv = Buffer.concat([salt14, Buffer.alloc(2)]);
const OPS = 2000;

function ctrPerPacket(): Buffer {
  const c = createCipheriv('aes-128-ctr', key, iv);
  const body = c.update(packet.subarray(12));
  const out = Buffer.allocUnsafe(packet.length + 10);
  packet.copy(out, 0, 0, 12);
  body.copy(out, 12);
  const tag = createHmac('sha1', authKey).update(out.subarray(0, packet.length)).update(Buffer.alloc(4)).digest();
  tag.copy(out, packet.length, 0, 10);
  return out;
}

const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
const counters = Buffer.alloc(Math.ceil(1200 / 16) * 16);
function ecbKeystream(out: Buffer): void {
  const blocks = counters.length >> 4;
  for (let b = 0; b < blocks; b++) {
    iv.copy(counters, b << 4);
    counters[(b << 4) + 15] = b;
  }
  const ks = ecb.update(counters);
  for (let i = 0; i < 1200; i++) out[12 + i] = (packet[12 + i] ?? 0) ^ (ks[i] ?? 0);
  packet.copy(out, 0, 0, 12);
}

function ecbHmac(): Buffer {
  const out = Buffer.allocUnsafe(packet.length + 10);
  ecbKeystream(out);
  const tag = createHmac('sha1', authKey).update(out.subarray(0, packet.length)).update(Buffer.alloc(4)).digest();
  tag.copy(out, packet.length, 0, 10);
  return out;
}

const ipad = Buffer.alloc(64, 0x36);
const opad = Buffer.alloc(64, 0x5c);
for (let i = 0; i < 20; i++) {
  ipad[i] = (ipad[i] ?? 0) ^ (authKey[i] ?? 0);
  opad[i] = (opad[i] ?? 0) ^ (authKey[i] ?? 0);
}
const inner = Buffer.alloc(64 + 1212 + 4);
ipad.copy(inner);
const outer = Buffer.alloc(64 + 20);
opad.copy(outer);
function ecbHashHmac(): Buffer {
  const out = Buffer.allocUnsafe(packet.length + 10);
  ecbKeystream(out);
  out.copy(inner, 64, 0, packet.length);
  (hash('sha1', inner, 'buffer') as Buffer).copy(outer, 64);
  (hash('sha1', outer, 'buffer') as Buffer).copy(out, packet.length, 0, 10);
  return out;
}

function gcmPerPacket(): Buffer {
  const c = createCipheriv('aes-128-gcm', key, salt12);
  c.setAAD(packet.subarray(0, 12));
  const body = c.update(packet.subarray(12));
  c.final();
  return Buffer.concat([packet.subarray(0, 12), body, c.getAuthTag()]);
}

const werift = new SrtpSession({
  keys: { localMasterKey: key, localMasterSalt: salt14, remoteMasterKey: key, remoteMasterSalt: salt14 },
  profile: 1,
});
const weriftGcm = new SrtpSession({
  keys: { localMasterKey: key, localMasterSalt: salt12, remoteMasterKey: key, remoteMasterSalt: salt12 },
  profile: 7,
});
const header = RtpHeader.deSerialize(packet);
const payload = packet.subarray(12);
const weriftRun = (n: number) => {
  for (let i = 0; i < n; i++) werift.encrypt(payload, header);
};
const weriftGcmRun = (n: number) => {
  for (let i = 0; i < n; i++) weriftGcm.encrypt(payload, header);
};
const loop = (f: () => unknown) => (n: number) => {
  for (let i = 0; i < n; i++) f();
};

const options: [string, (n: number) => void, (n: number) => void][] = [
  ['cm-ctr-per-packet', loop(ctrPerPacket), weriftRun],
  ['cm-ecb-keystream', loop(ecbHmac), weriftRun],
  ['cm-ecb-hash-hmac', loop(ecbHashHmac), weriftRun],
  ['gcm-per-packet', loop(gcmPerPacket), weriftGcmRun],
];
if (defaultSrtpBackend() === 'native') {
  const cm = new SrtpProtectContext('AES_CM_128_HMAC_SHA1_80', key, salt14, { backend: 'native' });
  const gcm = new SrtpProtectContext('AEAD_AES_128_GCM', key, salt12, { backend: 'native' });
  options.push(['cm-native', loop(() => cm.protect(packet)), weriftRun]);
  options.push(['gcm-native', loop(() => gcm.protect(packet)), weriftGcmRun]);
}
for (const [name, run, weriftRunFn] of options) {
  const r = compare({ rtcwire: { run }, werift: { run: weriftRunFn } }, { ops: OPS, rounds: 9 });
  report(`srtp-option-${name}-1200`, 'packets/s', r);
}
