import {
  AlertDescription,
  createFingerprintVerifier,
  DtlsError,
  type DtlsServerOptions,
  type GeneratedCertificate,
  generateCertificate,
} from '@rtcwire/dtls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDtls, DtlsListener, type DtlsSession } from '../../src/dtls/index.js';

let serverCert: GeneratedCertificate;
let clientCert: GeneratedCertificate;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  serverCert = await generateCertificate({ now: new Date(), commonName: 'server' });
  clientCert = await generateCertificate({ now: new Date(), commonName: 'client' });
});

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function listen(options: DtlsServerOptions): Promise<DtlsListener> {
  const listener = await DtlsListener.listen({ local: '127.0.0.1:0', dtls: options });
  cleanups.push(() => listener.close());
  return listener;
}

describe('DTLS over UDP (node driver)', () => {
  it('handshakes with mutual fingerprint authentication, exports equal keys and carries data both ways', async () => {
    const listener = await listen({
      credential: serverCert,
      verifyPeer: createFingerprintVerifier({ fingerprints: [clientCert.fingerprint()] }),
      clientAuth: 'require',
      srtpProfiles: [0x0001],
    });
    const accepted = listener.accept();
    const client = await connectDtls({
      remote: `127.0.0.1:${listener.local.port}`,
      dtls: {
        credential: clientCert,
        verifyPeer: createFingerprintVerifier({ fingerprints: [serverCert.fingerprint()] }),
        srtpProfiles: [0x0007, 0x0001],
      },
    });
    cleanups.push(() => client.close());
    const server = await accepted;
    expect(client.info?.srtpProfile?.name).toBe('SRTP_AES128_CM_SHA1_80');
    expect(client.info?.peerFingerprint).toBe(serverCert.fingerprint());
    expect(server.info?.peerFingerprint).toBe(clientCert.fingerprint());
    expect(server.info?.peerSubject).toBe('CN=client');
    const a = client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60);
    const b = server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60);
    expect(Buffer.from(a).toString('hex')).toBe(Buffer.from(b).toString('hex'));

    const got = new Promise<string>((resolve) => server.onData((d) => resolve(new TextDecoder().decode(d))));
    client.send(new TextEncoder().encode('ping'));
    expect(await got).toBe('ping');
    const back = new Promise<string>((resolve) => client.onData((d) => resolve(new TextDecoder().decode(d))));
    server.send(new TextEncoder().encode('pong'));
    expect(await back).toBe('pong');

    const serverClosed = new Promise<unknown>((resolve) => server.onClose(resolve));
    await client.close();
    expect(await serverClosed).toBeUndefined();
  });

  it('rejects with the alert when the server fingerprint does not match, and the server sees it', async () => {
    const listener = await listen({ credential: serverCert });
    const failure = new Promise<DtlsError>((resolve) => listener.onFailure((_s, e) => resolve(e)));
    const attempt = connectDtls({
      remote: `127.0.0.1:${listener.local.port}`,
      dtls: { verifyPeer: createFingerprintVerifier({ fingerprints: [clientCert.fingerprint()] }) },
    });
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DtlsError);
    expect((err as DtlsError).alert).toBe(AlertDescription.bad_certificate);
    expect((err as DtlsError).sent).toBe(true);
    const serverErr = await failure;
    expect(serverErr.alert).toBe(AlertDescription.bad_certificate);
    expect(serverErr.sent).toBe(false);
  });

  it('serves several clients on one socket', async () => {
    const listener = await listen({ credential: serverCert });
    const sessions: DtlsSession[] = [];
    listener.onConnected((s) => sessions.push(s));
    const verifyPeer = createFingerprintVerifier({ fingerprints: [serverCert.fingerprint()] });
    const clients = await Promise.all(
      [1, 2, 3].map(() => connectDtls({ remote: `127.0.0.1:${listener.local.port}`, dtls: { verifyPeer } })),
    );
    for (const c of clients) cleanups.push(() => c.close());
    expect(new Set(clients.map((c) => c.local.port)).size).toBe(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(sessions.map((s) => s.remote.port).sort()).toEqual(clients.map((c) => c.local.port).sort());
  });

  it('PSK handshake', async () => {
    const key = new Uint8Array(16).fill(7);
    const identity = new TextEncoder().encode('device-1');
    const listener = await listen({
      pskLookup: (id) => (new TextDecoder().decode(id) === 'device-1' ? key : undefined),
    });
    const client = await connectDtls({ remote: `127.0.0.1:${listener.local.port}`, dtls: { psk: { identity, key } } });
    cleanups.push(() => client.close());
    expect(client.info?.cipherSuite).toMatch(/^TLS_PSK_WITH_/);
    expect(client.info?.peerCertificateChain).toHaveLength(0);
  });
});

describe('connectDtls timeout', () => {
  it('rejects with handshake_timeout when nobody answers', async () => {
    const { createSocket } = await import('node:dgram');
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    let received = 0;
    silent.on('message', () => received++);
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    const err = await connectDtls({
      remote: `127.0.0.1:${silent.address().port}`,
      dtls: { verifyPeer: () => ({ ok: true }) },
      handshakeTimeoutMs: 300,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DtlsError);
    expect((err as DtlsError).code).toBe('handshake_timeout');
    expect(received).toBeGreaterThan(0);
  });
});
