/**
 * DTLS 1.2 handshakes per second and CPU milliseconds per handshake, rtcwire vs werift, both ends
 * in this process over in-memory links (no sockets). Each handshake is a fresh client + server:
 * ECDSA P-256 certificates (made once, reused), ECDHE, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
 * use_srtp, extended master secret, HelloVerifyRequest cookie, and — for rtcwire — fingerprint
 * verification of both certificates (werift checks fingerprints outside its DTLS layer).
 * rtcwire's sans-IO core runs synchronously; werift's handshake is promise/timer driven, so its
 * handshakes/s includes event-loop turns. CPU time (process.cpuUsage, user + system) is the fairer
 * cost measure. Rounds interleave the two; medians are reported.
 * Env: DTLS_BENCH_HANDSHAKES (per round, default 100), DTLS_BENCH_ROUNDS (default 5).
 */
import {
  createFingerprintVerifier,
  DtlsClient,
  type DtlsClientOptions,
  type DtlsConnection,
  DtlsServer,
  type DtlsServerOptions,
  fingerprintOf,
  generateCertificate,
  parsePemCertificates,
} from '@rtcwire/dtls';
import {
  CipherContext,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
  DtlsClient as WeriftDtlsClient,
  DtlsServer as WeriftDtlsServer,
} from 'werift';
import { median, report } from './lib/measure.js';

const HANDSHAKES = Number(process.env.DTLS_BENCH_HANDSHAKES ?? 100);
const ROUNDS = Number(process.env.DTLS_BENCH_ROUNDS ?? 5);

interface Sample {
  readonly perSec: number;
  readonly cpuMs: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timeRound(n: number, run: (n: number) => Promise<void> | void): Promise<Sample> {
  const w0 = performance.now();
  const c0 = cpuMs();
  await run(n);
  const wall = performance.now() - w0;
  const cpu = cpuMs() - c0;
  return { perSec: (n * 1000) / wall, cpuMs: cpu / n };
}

// ---- rtcwire: two sans-IO cores, datagrams moved by hand -------------------------------------

const now = new Date();
const ourServerCert = await generateCertificate({ now, commonName: 'bench-server' });
const ourClientCert = await generateCertificate({ now, commonName: 'bench-client' });
const SUITE = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256';

const clientOptions: DtlsClientOptions = {
  credential: ourClientCert,
  verifyPeer: createFingerprintVerifier({ fingerprints: [ourServerCert.fingerprint()] }),
  srtpProfiles: [0x0001],
  cipherSuites: [SUITE],
};
const serverOptions: DtlsServerOptions = {
  credential: ourServerCert,
  verifyPeer: createFingerprintVerifier({ fingerprints: [ourClientCert.fingerprint()] }),
  clientAuth: 'require',
  srtpProfiles: [0x0001],
  cipherSuites: [SUITE],
};

function pump(from: DtlsConnection, to: DtlsConnection, t: number): boolean {
  let moved = false;
  for (let d = from.pollTransmit(); d !== undefined; d = from.pollTransmit()) {
    to.handle(t, d);
    moved = true;
  }
  return moved;
}

function rtcwireHandshake(c: DtlsClientOptions = clientOptions, s: DtlsServerOptions = serverOptions): void {
  const client = new DtlsClient(c);
  const server = new DtlsServer(s);
  client.start(0);
  for (let i = 0; i < 20 && (client.state !== 'connected' || server.state !== 'connected'); i++) {
    const a = pump(client, server, i);
    const b = pump(server, client, i);
    if (!a && !b) break;
  }
  if (client.state !== 'connected' || server.state !== 'connected') {
    throw new Error(`rtcwire handshake did not complete: ${client.state}/${server.state}`);
  }
}

// ---- werift: DtlsClient/DtlsServer over an in-memory transport pair -------------------------

interface MemTransport {
  type: 'udp';
  address: { address: string; port: number; family: string };
  closed: boolean;
  onData: (data: Buffer, addr: [string, number]) => void;
  send: (data: Buffer) => Promise<void>;
  close: () => Promise<void>;
}

function memoryPair(): [MemTransport, MemTransport] {
  const make = (port: number): MemTransport => ({
    type: 'udp',
    address: { address: '127.0.0.1', port, family: 'IPv4' },
    closed: false,
    onData: () => {},
    send: async () => {},
    close: async () => {},
  });
  const a = make(1);
  const b = make(2);
  a.send = async (d) => {
    setImmediate(() => b.onData(d, ['127.0.0.1', 1]));
  };
  b.send = async (d) => {
    setImmediate(() => a.onData(d, ['127.0.0.1', 2]));
  };
  return [a, b];
}

const weriftServerCert = await CipherContext.createSelfSignedCertificateWithKey(
  { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
  NamedCurveAlgorithm.secp256r1_23,
);
const weriftClientCert = await CipherContext.createSelfSignedCertificateWithKey(
  { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
  NamedCurveAlgorithm.secp256r1_23,
);
// Sanity: werift's certificates are ordinary X.509 (we can fingerprint them).
fingerprintOf(parsePemCertificates(weriftServerCert.certPem)[0] as Uint8Array);

async function weriftHandshake(): Promise<void> {
  const [ct, st] = memoryPair();
  const server = new WeriftDtlsServer({
    transport: st as never,
    cert: weriftServerCert.certPem,
    key: weriftServerCert.keyPem,
    signatureHash: weriftServerCert.signatureHash,
    srtpProfiles: [1] as never,
    certificateRequest: true,
    extendedMasterSecret: true,
  });
  const client = new WeriftDtlsClient({
    transport: ct as never,
    cert: weriftClientCert.certPem,
    key: weriftClientCert.keyPem,
    signatureHash: weriftClientCert.signatureHash,
    srtpProfiles: [1] as never,
    extendedMasterSecret: true,
  });
  const both = Promise.all([
    new Promise<void>((r) => server.onConnect.once(() => r())),
    new Promise<void>((r) => client.onConnect.once(() => r())),
  ]);
  void client.connect();
  await both;
  client.close();
  server.close();
}

// ---- run -------------------------------------------------------------------------------------

const rtcwireRun = (n: number) => {
  for (let i = 0; i < n; i++) rtcwireHandshake();
};
const weriftRun = async (n: number) => {
  for (let i = 0; i < n; i++) await weriftHandshake();
};

const samples = { rtcwire: [] as Sample[], werift: [] as Sample[] };
await timeRound(Math.max(5, HANDSHAKES >> 3), rtcwireRun); // warm-up
await timeRound(Math.max(5, HANDSHAKES >> 3), weriftRun);
for (let r = 0; r < ROUNDS; r++) {
  console.error(`# dtls round ${r + 1}/${ROUNDS}`);
  if (r % 2 === 0) {
    samples.rtcwire.push(await timeRound(HANDSHAKES, rtcwireRun));
    samples.werift.push(await timeRound(HANDSHAKES, weriftRun));
  } else {
    samples.werift.push(await timeRound(HANDSHAKES, weriftRun));
    samples.rtcwire.push(await timeRound(HANDSHAKES, rtcwireRun));
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const extra = { suite: SUITE, handshakesPerRound: HANDSHAKES, rounds: ROUNDS };
report(
  'dtls-handshake-ecdsa-p256',
  'handshakes/s',
  {
    rtcwire: round2(median(samples.rtcwire.map((s) => s.perSec))),
    werift: round2(median(samples.werift.map((s) => s.perSec))),
  },
  { ...extra, clock: 'wall' },
);
// Lower is better here: ratio < 1 means rtcwire spends less CPU per handshake.
report(
  'dtls-handshake-ecdsa-p256-cpu',
  'cpu-ms/handshake',
  {
    rtcwire: round2(median(samples.rtcwire.map((s) => s.cpuMs))),
    werift: round2(median(samples.werift.map((s) => s.cpuMs))),
  },
  { ...extra, clock: 'cpu', lowerIsBetter: true },
);

// PSK (TLS_PSK_WITH_AES_128_GCM_SHA256): no certificates, no ECDHE; werift has no PSK suites.
const pskKey = new Uint8Array(16).fill(9);
const pskClient: DtlsClientOptions = {
  psk: { identity: new TextEncoder().encode('bench'), key: pskKey },
  srtpProfiles: [0x0001],
};
const pskServer: DtlsServerOptions = { pskLookup: () => pskKey, srtpProfiles: [0x0001] };
const pskSamples: Sample[] = [];
await timeRound(Math.max(5, HANDSHAKES >> 3), (n) => {
  for (let i = 0; i < n; i++) rtcwireHandshake(pskClient, pskServer);
});
for (let r = 0; r < ROUNDS; r++) {
  pskSamples.push(
    await timeRound(HANDSHAKES, (n) => {
      for (let i = 0; i < n; i++) rtcwireHandshake(pskClient, pskServer);
    }),
  );
}
const pskExtra = { suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256', handshakesPerRound: HANDSHAKES, rounds: ROUNDS };
report(
  'dtls-handshake-psk',
  'handshakes/s',
  { rtcwire: round2(median(pskSamples.map((s) => s.perSec))), werift: null },
  { ...pskExtra, clock: 'wall' },
);
report(
  'dtls-handshake-psk-cpu',
  'cpu-ms/handshake',
  { rtcwire: round2(median(pskSamples.map((s) => s.cpuMs))), werift: null },
  { ...pskExtra, clock: 'cpu', lowerIsBetter: true },
);
process.exit(0);
