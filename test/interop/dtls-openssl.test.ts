/**
 * rtcwire DTLS 1.2 against OpenSSL 3 s_server / s_client on 127.0.0.1 (PEERS.md): both
 * directions, every SRTP profile, ECDSA and RSA certificates, a root → intermediate → leaf
 * chain with mutual authentication, refusal of an untrusted client, small-MTU fragmentation.
 * (PSK suites: dtls-openssl-psk.test.ts.)
 * The EXTRACTOR-dtls_srtp keying material must be identical on both ends.
 */

import { writeFileSync } from 'node:fs';
import {
  AlertDescription,
  createAcceptAnyVerifier,
  createPkiVerifier,
  type DtlsClientOptions,
  type DtlsServerOptions,
  generateCertificate,
  loadPemCredential,
  SRTP_PROFILES,
} from '@rtcwire/dtls';
import { type IssuedPem, OpensslPki } from '@rtcwire/interop-openssl';
import { connectDtls, DtlsListener, type DtlsSession } from '@rtcwire/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OPENSSL_CIPHER_NAMES,
  type OpensslDtlsOptions,
  type OpensslProcess,
  SRTP_KEYING_LENGTH,
  startOpensslClient,
  startOpensslServer,
} from './harness/openssl.js';

const PROFILES = ['SRTP_AES128_CM_SHA1_80', 'SRTP_AES128_CM_SHA1_32', 'SRTP_AEAD_AES_128_GCM', 'SRTP_AEAD_AES_256_GCM'];
const profileId = (name: string) => SRTP_PROFILES.find((p) => p.name === name)?.id as number;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

let certs: OpensslPki;
let ecSelf: IssuedPem;
let rsaSelf: IssuedPem;
let root: IssuedPem;
let inter: IssuedPem;
let serverLeaf: IssuedPem;
let clientLeaf: IssuedPem;
let strangerRoot: IssuedPem;
let strangerLeaf: IssuedPem;

const running: OpensslProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  certs = new OpensslPki('ec');
  ecSelf = certs.selfSigned('ec-self', { ca: false });
  rsaSelf = certs.selfSigned('rsa-self', { ca: false, keyKind: 'rsa' });
  root = certs.selfSigned('Test Root CA', { ca: true });
  inter = certs.intermediate('Test Intermediate CA', root);
  serverLeaf = certs.leaf('server.test', inter);
  clientLeaf = certs.leaf('client.test', inter, { keyKind: 'rsa' });
  strangerRoot = certs.selfSigned('Stranger Root', { ca: true });
  strangerLeaf = certs.leaf('stranger.test', strangerRoot);
});
afterAll(() => certs.dispose());
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
  for (const c of closers.splice(0)) await c();
});

async function opensslServer(options: OpensslDtlsOptions): Promise<OpensslProcess> {
  const p = await startOpensslServer(options);
  running.push(p);
  return p;
}

function opensslClient(port: number, options: OpensslDtlsOptions): OpensslProcess {
  const p = startOpensslClient(port, options);
  running.push(p);
  return p;
}

async function ourClient(port: number, options: DtlsClientOptions): Promise<DtlsSession> {
  const session = await connectDtls({ remote: `127.0.0.1:${port}`, dtls: options });
  closers.push(() => session.close());
  return session;
}

async function ourServer(options: DtlsServerOptions): Promise<DtlsListener> {
  const listener = await DtlsListener.listen({ local: '127.0.0.1:0', dtls: options });
  closers.push(() => listener.close());
  return listener;
}

describe('rtcwire client → openssl s_server', () => {
  it.each(
    PROFILES.flatMap(
      (p) =>
        [
          [p, 'ecdsa'],
          [p, 'rsa'],
        ] as const,
    ),
  )('%s with an %s certificate', async (profile, kind) => {
    const cert = kind === 'ecdsa' ? ecSelf : rsaSelf;
    const length = SRTP_KEYING_LENGTH[profile] as number;
    const server = await opensslServer({
      cert: cert.certPath,
      key: cert.keyPath,
      srtpProfiles: [profile],
      keyingMaterialLength: length,
    });
    const session = await ourClient(server.port, {
      verifyPeer: createAcceptAnyVerifier(),
      srtpProfiles: PROFILES.map(profileId),
    });
    await server.waitFor(/Keying material: [0-9A-F]+/);
    const theirs = server.result();
    expect(session.info?.srtpProfile?.name).toBe(profile);
    expect(theirs.srtpProfile).toBe(profile);
    expect(theirs.cipher).toBe(OPENSSL_CIPHER_NAMES[session.info?.cipherSuite as string]);
    expect(session.info?.cipherSuite).toContain(kind === 'ecdsa' ? 'ECDHE_ECDSA' : 'ECDHE_RSA');
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', length))).toBe(theirs.keyingMaterial);
  });

  it('server preference wins and no common profile means no SRTP', async () => {
    const server = await opensslServer({
      cert: ecSelf.certPath,
      key: ecSelf.keyPath,
      srtpProfiles: ['SRTP_AES128_CM_SHA1_32'],
      keyingMaterialLength: 60,
    });
    const session = await ourClient(server.port, {
      verifyPeer: createAcceptAnyVerifier(),
      srtpProfiles: [profileId('SRTP_AES128_CM_SHA1_80')],
    });
    await server.waitFor(/Keying material: [0-9A-F]+/);
    expect(session.info?.srtpProfile).toBeUndefined();
    expect(server.output()).not.toContain('SRTP Extension negotiated');
  });
});

describe('openssl s_client → rtcwire server', () => {
  it.each(
    PROFILES.flatMap(
      (p) =>
        [
          [p, 'ecdsa'],
          [p, 'rsa'],
        ] as const,
    ),
  )('%s with an %s certificate', async (profile, kind) => {
    const cert = kind === 'ecdsa' ? ecSelf : rsaSelf;
    const length = SRTP_KEYING_LENGTH[profile] as number;
    const listener = await ourServer({
      credential: loadPemCredential(cert.cert, cert.key),
      srtpProfiles: PROFILES.map(profileId),
    });
    const accepted = listener.accept();
    const client = opensslClient(listener.local.port, { srtpProfiles: [profile], keyingMaterialLength: length });
    const session = await accepted;
    await client.waitFor(/Keying material: [0-9A-F]+/);
    const theirs = client.result();
    expect(theirs.srtpProfile).toBe(profile);
    expect(session.info?.srtpProfile?.name).toBe(profile);
    expect(theirs.cipher).toBe(OPENSSL_CIPHER_NAMES[session.info?.cipherSuite as string]);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', length))).toBe(theirs.keyingMaterial);
  });

  it.each(['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const)(
    'our generated %s certificate passes openssl verification (-CAfile, -verify_return_error)',
    async (keyType) => {
      const generated = await generateCertificate({ now: new Date(), keyType, commonName: 'rtcwire-generated' });
      const caFile = `${certs.dir}/generated-${keyType}.pem`;
      writeFileSync(caFile, generated.certificatePem);
      const listener = await ourServer({ credential: generated });
      const accepted = listener.accept();
      const client = opensslClient(listener.local.port, { caFile, verify: 'require', keyingMaterialLength: 60 });
      const session = await accepted;
      await client.waitFor(/Keying material: [0-9A-F]+/);
      expect(client.output()).toMatch(/Verify return code: 0 \(ok\)/);
      expect(client.output()).toContain('CN = rtcwire-generated');
      expect(session.info?.cipherSuite).toContain(keyType === 'rsa-2048' ? 'ECDHE_RSA' : 'ECDHE_ECDSA');
      expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(client.result().keyingMaterial);
    },
  );

  it('application data flows both ways', async () => {
    const listener = await ourServer({ credential: loadPemCredential(ecSelf.cert, ecSelf.key) });
    const accepted = listener.accept();
    const client = opensslClient(listener.local.port, {});
    const session = await accepted;
    await client.waitFor(/Verify return code/);
    const got = new Promise<string>((resolve) => session.onData((d) => resolve(new TextDecoder().decode(d))));
    client.writeLine('hello from openssl');
    expect(await got).toBe('hello from openssl\n');
    session.send(new TextEncoder().encode('hello from rtcwire\n'));
    await client.waitFor(/hello from rtcwire/);
  });
});

describe('PKI: root → intermediate → leaf, mutual authentication', () => {
  const chainOf = (leaf: IssuedPem) => loadPemCredential(leaf.cert + inter.cert, leaf.key);

  it('rtcwire client ↔ openssl server (-Verify, -cert_chain): both chains verify', async () => {
    const server = await opensslServer({
      cert: serverLeaf.certPath,
      key: serverLeaf.keyPath,
      certChain: inter.certPath,
      caFile: root.certPath,
      verify: 'require',
      keyingMaterialLength: 60,
      srtpProfiles: ['SRTP_AES128_CM_SHA1_80'],
    });
    const session = await ourClient(server.port, {
      credential: chainOf(clientLeaf),
      verifyPeer: createPkiVerifier({ trusted: [root.cert], purpose: 'serverAuth', now: () => new Date() }),
      srtpProfiles: [profileId('SRTP_AES128_CM_SHA1_80')],
    });
    await server.waitFor(/Keying material: [0-9A-F]+/);
    expect(session.info?.peerSubject).toBe('CN=server.test');
    expect(server.output()).toMatch(/depth=2 CN = Test Root CA/);
    expect(server.output()).toMatch(/depth=0 CN = client.test/);
    expect(server.output()).not.toMatch(/verify error/);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(server.result().keyingMaterial);
  });

  it('openssl client (-cert_chain, -verify_return_error) ↔ rtcwire server requiring a client certificate', async () => {
    const listener = await ourServer({
      credential: chainOf(serverLeaf),
      clientAuth: 'require',
      verifyPeer: createPkiVerifier({ trusted: [root.cert], purpose: 'clientAuth', now: () => new Date() }),
    });
    const accepted = listener.accept();
    const client = opensslClient(listener.local.port, {
      cert: clientLeaf.certPath,
      key: clientLeaf.keyPath,
      certChain: inter.certPath,
      caFile: root.certPath,
      verify: 'require',
      keyingMaterialLength: 60,
    });
    const session = await accepted;
    await client.waitFor(/Keying material: [0-9A-F]+/);
    expect(session.info?.peerSubject).toBe('CN=client.test');
    expect(client.output()).toMatch(/Verify return code: 0 \(ok\)/);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(client.result().keyingMaterial);
  });

  it('openssl server refuses our untrusted client certificate: unknown_ca reported on both sides', async () => {
    const server = await opensslServer({
      cert: serverLeaf.certPath,
      key: serverLeaf.keyPath,
      certChain: inter.certPath,
      caFile: root.certPath,
      verify: 'require',
    });
    const attempt = connectDtls({
      remote: `127.0.0.1:${server.port}`,
      dtls: {
        credential: loadPemCredential(strangerLeaf.cert, strangerLeaf.key),
        verifyPeer: createPkiVerifier({ trusted: [root.cert], purpose: 'serverAuth', now: () => new Date() }),
      },
    });
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => e as { alert?: number; sent?: boolean },
    );
    expect(err?.alert).toBe(AlertDescription.unknown_ca);
    expect(err?.sent).toBe(false);
    await server.waitFor(/SSL3 alert write:fatal:unknown CA/);
  });

  it('rtcwire server refuses an untrusted openssl client: unknown_ca reported on both sides', async () => {
    const listener = await ourServer({
      credential: chainOf(serverLeaf),
      clientAuth: 'require',
      verifyPeer: createPkiVerifier({ trusted: [root.cert], purpose: 'clientAuth', now: () => new Date() }),
    });
    const failure = new Promise<{ alert: number | undefined; sent: boolean }>((resolve) =>
      listener.onFailure((_s, e) => resolve(e)),
    );
    const client = opensslClient(listener.local.port, { cert: strangerLeaf.certPath, key: strangerLeaf.keyPath });
    const err = await failure;
    expect(err.alert).toBe(AlertDescription.unknown_ca);
    expect(err.sent).toBe(true);
    await client.waitFor(/SSL3 alert read:fatal:unknown CA/);
    expect(client.result().alertNumbers).toContain(48);
  });

  it('a chain without the intermediate is refused by our server (unknown_ca)', async () => {
    const listener = await ourServer({
      credential: chainOf(serverLeaf),
      clientAuth: 'require',
      verifyPeer: createPkiVerifier({ trusted: [root.cert], purpose: 'clientAuth', now: () => new Date() }),
    });
    const failure = new Promise<{ alert: number | undefined }>((resolve) => listener.onFailure((_s, e) => resolve(e)));
    const client = opensslClient(listener.local.port, { cert: clientLeaf.certPath, key: clientLeaf.keyPath });
    expect((await failure).alert).toBe(AlertDescription.unknown_ca);
    await client.waitFor(/SSL3 alert read:fatal:unknown CA/);
  });
});

describe('small MTU: handshake messages fragmented both ways', () => {
  const chain = () => loadPemCredential(serverLeaf.cert + inter.cert, serverLeaf.key);

  it('openssl s_client -mtu 400 → rtcwire server (mtu 400) with a chain and client RSA certificate', async () => {
    const listener = await ourServer({
      credential: chain(),
      mtu: 400,
      clientAuth: 'require',
      verifyPeer: createPkiVerifier({ trusted: [root.cert], purpose: 'clientAuth', now: () => new Date() }),
    });
    const accepted = listener.accept();
    const client = opensslClient(listener.local.port, {
      mtu: 400,
      cert: clientLeaf.certPath,
      key: clientLeaf.keyPath,
      certChain: inter.certPath,
      caFile: root.certPath,
      verify: 'require',
      keyingMaterialLength: 60,
    });
    const session = await accepted;
    await client.waitFor(/Keying material: [0-9A-F]+/);
    expect(session.info?.peerSubject).toBe('CN=client.test');
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(client.result().keyingMaterial);
  });

  it('rtcwire client (mtu 400) → openssl s_server -mtu 400', async () => {
    const server = await opensslServer({
      mtu: 400,
      cert: rsaSelf.certPath,
      key: rsaSelf.keyPath,
      verify: 'require',
      caFile: root.certPath,
      keyingMaterialLength: 60,
    });
    const session = await ourClient(server.port, {
      mtu: 400,
      credential: loadPemCredential(clientLeaf.cert + inter.cert, clientLeaf.key),
      verifyPeer: createAcceptAnyVerifier(),
    });
    await server.waitFor(/Keying material: [0-9A-F]+/);
    expect(server.output()).toMatch(/depth=0 CN = client.test/);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(server.result().keyingMaterial);
  });
});
