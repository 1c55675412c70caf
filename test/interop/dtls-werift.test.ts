/**
 * rtcwire DTLS against werift 0.24's DtlsClient/DtlsServer over real UDP on 127.0.0.1, both
 * directions, with mutual fingerprint authentication (the WebRTC model) and both SRTP profiles
 * werift implements (SRTP_AES128_CM_SHA1_80, SRTP_AEAD_AES_128_GCM).
 */
import { createSocket, type Socket } from 'node:dgram';
import {
  createFingerprintVerifier,
  fingerprintOf,
  type GeneratedCertificate,
  generateCertificate,
  parsePemCertificates,
  SRTP_PROFILES,
} from '@rtcwire/dtls';
import { connectDtls, DtlsListener } from '@rtcwire/node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CipherContext,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
  DtlsClient as WeriftDtlsClient,
  DtlsServer as WeriftDtlsServer,
} from 'werift';

interface WeriftCert {
  readonly certPem: string;
  readonly keyPem: string;
  readonly signatureHash: { hash: number; signature: number };
}

/** werift's Transport on a node:dgram socket; the peer is fixed, or learnt from the first datagram. */
interface DgramTransport {
  type: 'udp';
  address: { address: string; port: number; family: string };
  closed: boolean;
  onData: (data: Buffer, addr: [string, number]) => void;
  send: (data: Buffer) => Promise<void>;
  close: () => Promise<void>;
}

async function dgramTransport(remotePort?: number): Promise<{ transport: DgramTransport; socket: Socket }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  let peer: { address: string; port: number } | undefined = remotePort
    ? { address: '127.0.0.1', port: remotePort }
    : undefined;
  const transport: DgramTransport = {
    type: 'udp',
    address: socket.address(),
    closed: false,
    onData: () => {},
    send: async (data) => {
      if (peer && !transport.closed) socket.send(data, peer.port, peer.address);
    },
    close: async () => {
      if (transport.closed) return;
      transport.closed = true;
      await new Promise<void>((r) => socket.close(() => r()));
    },
  };
  socket.on('message', (msg, rinfo) => {
    peer ??= { address: rinfo.address, port: rinfo.port };
    transport.onData(msg, [rinfo.address, rinfo.port]);
  });
  return { transport, socket };
}

const PROFILES: [string, number][] = [
  ['SRTP_AES128_CM_SHA1_80', 1],
  ['SRTP_AEAD_AES_128_GCM', 7],
];
const keyingLength = (name: string) => {
  const p = SRTP_PROFILES.find((x) => x.name === name);
  return p ? 2 * (p.keyLength + p.saltLength) : 0;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let ours: GeneratedCertificate;
let theirs: WeriftCert;
let theirFingerprint: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ours = await generateCertificate({ now: new Date(), commonName: 'rtcwire' });
  theirs = (await CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
    NamedCurveAlgorithm.secp256r1_23,
  )) as WeriftCert;
  theirFingerprint = fingerprintOf(parsePemCertificates(theirs.certPem)[0] as Uint8Array);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('rtcwire client → werift DtlsServer', () => {
  it.each(PROFILES)('%s, werift requests our certificate', async (name, weriftId) => {
    const { transport } = await dgramTransport();
    const server = new WeriftDtlsServer({
      transport: transport as never,
      cert: theirs.certPem,
      key: theirs.keyPem,
      signatureHash: theirs.signatureHash as never,
      srtpProfiles: [weriftId] as never,
      certificateRequest: true,
      extendedMasterSecret: true,
    });
    cleanups.push(() => transport.close());
    const weriftConnected = new Promise<void>((r) => server.onConnect.once(() => r()));
    const session = await connectDtls({
      remote: `127.0.0.1:${transport.address.port}`,
      dtls: {
        credential: ours,
        verifyPeer: createFingerprintVerifier({ fingerprints: [theirFingerprint] }),
        srtpProfiles: SRTP_PROFILES.map((p) => p.id),
      },
    });
    cleanups.push(() => session.close());
    await weriftConnected;
    expect(session.info?.srtpProfile?.name).toBe(name);
    expect(session.info?.peerFingerprint).toBe(theirFingerprint);
    const remoteCert = server.remoteCertificate;
    expect(remoteCert && fingerprintOf(new Uint8Array(remoteCert))).toBe(ours.fingerprint());
    const length = keyingLength(name);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', length))).toBe(
      hex(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', length)),
    );

    const got = new Promise<string>((r) => server.onData.once((d: Buffer) => r(d.toString())));
    session.send(new TextEncoder().encode('to werift'));
    expect(await got).toBe('to werift');
    const back = new Promise<string>((r) => session.onData((d) => r(new TextDecoder().decode(d))));
    await server.send(Buffer.from('to rtcwire'));
    expect(await back).toBe('to rtcwire');
  });
});

describe('rtcwire client → werift DtlsServer with an RSA certificate', () => {
  it('negotiates TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and equal keying material', async () => {
    const rsa = (await CipherContext.createSelfSignedCertificateWithKey({
      signature: SignatureAlgorithm.rsa_1,
      hash: HashAlgorithm.sha256_4,
    })) as WeriftCert;
    const rsaFingerprint = fingerprintOf(parsePemCertificates(rsa.certPem)[0] as Uint8Array);
    const { transport } = await dgramTransport();
    const server = new WeriftDtlsServer({
      transport: transport as never,
      cert: rsa.certPem,
      key: rsa.keyPem,
      signatureHash: rsa.signatureHash as never,
      srtpProfiles: [1] as never,
      extendedMasterSecret: true,
    });
    cleanups.push(() => transport.close());
    const weriftConnected = new Promise<void>((r) => server.onConnect.once(() => r()));
    const session = await connectDtls({
      remote: `127.0.0.1:${transport.address.port}`,
      dtls: { verifyPeer: createFingerprintVerifier({ fingerprints: [rsaFingerprint] }), srtpProfiles: [0x0001] },
    });
    cleanups.push(() => session.close());
    await weriftConnected;
    expect(session.info?.cipherSuite).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(
      hex(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60)),
    );
  });
});

describe('werift DtlsClient → rtcwire server', () => {
  it.each(PROFILES)('%s, we require and verify werift’s certificate by fingerprint', async (name, weriftId) => {
    const listener = await DtlsListener.listen({
      local: '127.0.0.1:0',
      dtls: {
        credential: ours,
        clientAuth: 'require',
        verifyPeer: createFingerprintVerifier({ fingerprints: [theirFingerprint] }),
        srtpProfiles: SRTP_PROFILES.map((p) => p.id),
      },
    });
    cleanups.push(() => listener.close());
    const accepted = listener.accept();
    const { transport } = await dgramTransport(listener.local.port);
    cleanups.push(() => transport.close());
    const client = new WeriftDtlsClient({
      transport: transport as never,
      cert: theirs.certPem,
      key: theirs.keyPem,
      signatureHash: theirs.signatureHash as never,
      srtpProfiles: [weriftId] as never,
      extendedMasterSecret: true,
    });
    const weriftConnected = new Promise<void>((r) => client.onConnect.once(() => r()));
    void client.connect();
    const session = await accepted;
    await weriftConnected;
    expect(session.info?.srtpProfile?.name).toBe(name);
    expect(session.info?.peerFingerprint).toBe(theirFingerprint);
    expect(client.remoteCertificate && fingerprintOf(new Uint8Array(client.remoteCertificate))).toBe(
      ours.fingerprint(),
    );
    const length = keyingLength(name);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', length))).toBe(
      hex(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', length)),
    );
    const got = new Promise<string>((r) => session.onData((d) => r(new TextDecoder().decode(d))));
    await client.send(Buffer.from('from werift'));
    expect(await got).toBe('from werift');
  });

  it('refuses werift when its fingerprint is not the expected one (bad_certificate)', async () => {
    const listener = await DtlsListener.listen({
      local: '127.0.0.1:0',
      dtls: {
        credential: ours,
        clientAuth: 'require',
        verifyPeer: createFingerprintVerifier({ fingerprints: [ours.fingerprint()] }),
      },
    });
    cleanups.push(() => listener.close());
    const failure = new Promise<{ alertName: string | undefined; sent: boolean }>((r) =>
      listener.onFailure((_s, e) => r(e)),
    );
    const { transport } = await dgramTransport(listener.local.port);
    cleanups.push(() => transport.close());
    const client = new WeriftDtlsClient({
      transport: transport as never,
      cert: theirs.certPem,
      key: theirs.keyPem,
      signatureHash: theirs.signatureHash as never,
      extendedMasterSecret: true,
    });
    void client.connect().catch(() => {});
    const err = await failure;
    expect(err.alertName).toBe('bad_certificate');
    expect(err.sent).toBe(true);
    client.close();
  });
});
