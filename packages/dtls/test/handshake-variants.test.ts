import { seededRandom, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  DtlsClient,
  type DtlsEvent,
  DtlsServer,
  type GroupName,
  SignatureScheme,
} from '../src/index.js';
import { fingerprintVerifier, testCredential } from './helpers/certs.js';
import { TestLink } from './helpers/pipe.js';

const enc = new TextEncoder();

function run(client: DtlsClient, server: DtlsServer): TestLink {
  client.start(0);
  const link = new TestLink(client, server);
  link.run(() => link.settled());
  return link;
}

function failure(events: DtlsEvent[]): string | undefined {
  const f = events.find((e) => e.type === 'failed');
  return f?.type === 'failed' ? (f.error.alertName ?? f.error.code) : undefined;
}

describe('groups and certificate key types', () => {
  for (const group of ['x25519', 'secp256r1', 'secp384r1'] as GroupName[]) {
    it(`ECDHE over ${group}`, () => {
      const cred = testCredential('p256', 'server');
      const client = new DtlsClient({
        random: seededRandom(3),
        groups: [group],
        verifyPeer: fingerprintVerifier(cred.fingerprint),
      });
      const server = new DtlsServer({ random: seededRandom(4), credential: cred });
      run(client, server);
      expect(client.connectionInfo?.group).toBe(group);
      expect(server.connectionInfo?.group).toBe(group);
    });
  }

  it('a P-384 certificate signs with ecdsa_secp384r1_sha384', () => {
    const cred = testCredential('p384', 'server384');
    const client = new DtlsClient({ random: seededRandom(5), verifyPeer: fingerprintVerifier(cred.fingerprint) });
    const server = new DtlsServer({ random: seededRandom(6), credential: cred });
    run(client, server);
    expect(server.connectionInfo?.signatureScheme).toBe(SignatureScheme.ecdsa_secp384r1_sha384);
    expect(client.state).toBe('connected');
  });

  it('server picks by its own suite order', () => {
    const cred = testCredential('p256', 'server');
    const client = new DtlsClient({ random: seededRandom(5), verifyPeer: fingerprintVerifier(cred.fingerprint) });
    const server = new DtlsServer({
      random: seededRandom(6),
      credential: cred,
      cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    });
    run(client, server);
    expect(client.connectionInfo?.cipherSuite).toBe('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256');
  });

  it('works without the cookie exchange', () => {
    const cred = testCredential('p256', 'server');
    const client = new DtlsClient({ random: seededRandom(5), verifyPeer: fingerprintVerifier(cred.fingerprint) });
    const server = new DtlsServer({ random: seededRandom(6), credential: cred, cookie: false });
    const link = run(client, server);
    expect(link.connected()).toBe(true);
    // ClientHello, flight 5 (one datagram each here): no second ClientHello.
    expect(link.sent[0].length).toBe(2);
  });
});

describe('PSK', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const identity = enc.encode('client-1');
  for (const suite of CIPHER_SUITES.filter((s) => s.keyExchange === 'psk')) {
    it(`completes ${suite.name}`, () => {
      const client = new DtlsClient({ random: seededRandom(7), psk: { identity, key }, cipherSuites: [suite.name] });
      const server = new DtlsServer({
        random: seededRandom(8),
        pskLookup: (id) => (toHex(id) === toHex(identity) ? key : undefined),
        pskIdentityHint: enc.encode('hint'),
      });
      const link = run(client, server);
      expect(link.connected()).toBe(true);
      expect(server.connectionInfo?.cipherSuite).toBe(suite.name);
      expect(toHex(server.connectionInfo?.pskIdentity ?? new Uint8Array())).toBe(toHex(identity));
      client.send(enc.encode('psk data'));
      link.run(() => link.events[1].some((e) => e.type === 'data'), link.now + 1000);
      expect(link.events[1].some((e) => e.type === 'data')).toBe(true);
    });
  }

  it('an unknown identity fails with unknown_psk_identity on both sides', () => {
    const client = new DtlsClient({ random: seededRandom(7), psk: { identity: enc.encode('nobody'), key } });
    const server = new DtlsServer({ random: seededRandom(8), pskLookup: () => undefined });
    const link = run(client, server);
    expect(failure(link.events[1])).toBe('unknown_psk_identity');
    expect(failure(link.events[0])).toBe('unknown_psk_identity');
  });
});

describe('client authentication', () => {
  const serverCred = testCredential('p256', 'server');
  for (const kind of ['p256', 'rsa'] as const) {
    it(`server requires and gets a ${kind} client certificate`, () => {
      const clientCred = testCredential(kind, 'client');
      const client = new DtlsClient({
        random: seededRandom(9),
        credential: clientCred,
        verifyPeer: fingerprintVerifier(serverCred.fingerprint),
      });
      const server = new DtlsServer({
        random: seededRandom(10),
        credential: serverCred,
        clientAuth: 'require',
        verifyPeer: fingerprintVerifier(clientCred.fingerprint),
      });
      const link = run(client, server);
      expect(link.connected()).toBe(true);
      expect(server.connectionInfo?.peerFingerprint).toBe(clientCred.fingerprint);
      expect(server.connectionInfo?.peerCertificateChain.length).toBe(1);
      expect(client.connectionInfo?.signatureScheme).toBe(
        kind === 'rsa' ? SignatureScheme.rsa_pss_rsae_sha256 : SignatureScheme.ecdsa_secp256r1_sha256,
      );
    });
  }

  it('a required but missing client certificate → handshake_failure on both sides', () => {
    const client = new DtlsClient({ random: seededRandom(9), verifyPeer: fingerprintVerifier(serverCred.fingerprint) });
    const server = new DtlsServer({ random: seededRandom(10), credential: serverCred, clientAuth: 'require' });
    const link = run(client, server);
    expect(failure(link.events[1])).toBe('handshake_failure');
    expect(failure(link.events[0])).toBe('handshake_failure');
  });

  it('a requested but missing client certificate is fine', () => {
    const client = new DtlsClient({ random: seededRandom(9), verifyPeer: fingerprintVerifier(serverCred.fingerprint) });
    const server = new DtlsServer({ random: seededRandom(10), credential: serverCred, clientAuth: 'request' });
    const link = run(client, server);
    expect(link.connected()).toBe(true);
    expect(server.connectionInfo?.peerCertificateChain).toEqual([]);
  });

  it('wrong server fingerprint → bad_certificate on both sides', () => {
    const client = new DtlsClient({ random: seededRandom(9), verifyPeer: fingerprintVerifier('00:11') });
    const server = new DtlsServer({ random: seededRandom(10), credential: serverCred });
    const link = run(client, server);
    expect(failure(link.events[0])).toBe('bad_certificate');
    expect(failure(link.events[1])).toBe('bad_certificate');
  });

  it('wrong client fingerprint → bad_certificate on both sides', () => {
    const clientCred = testCredential('p256', 'client');
    const client = new DtlsClient({
      random: seededRandom(9),
      credential: clientCred,
      verifyPeer: fingerprintVerifier(serverCred.fingerprint),
    });
    const server = new DtlsServer({
      random: seededRandom(10),
      credential: serverCred,
      clientAuth: 'require',
      verifyPeer: fingerprintVerifier('00'),
    });
    const link = run(client, server);
    expect(failure(link.events[1])).toBe('bad_certificate');
    expect(failure(link.events[0])).toBe('bad_certificate');
  });
});

describe('SRTP negotiation', () => {
  const cred = testCredential('p256', 'server');
  const pairWith = (clientProfiles: number[], serverProfiles?: number[]) => {
    const client = new DtlsClient({
      random: seededRandom(1),
      srtpProfiles: clientProfiles,
      verifyPeer: fingerprintVerifier(cred.fingerprint),
    });
    const server = new DtlsServer({
      random: seededRandom(2),
      credential: cred,
      ...(serverProfiles ? { srtpProfiles: serverProfiles } : {}),
    });
    run(client, server);
    return { client, server };
  };

  it("uses the server's preference order", () => {
    expect(pairWith([1, 2, 7, 8]).client.connectionInfo?.srtpProfile?.name).toBe('SRTP_AEAD_AES_128_GCM');
    expect(pairWith([7, 1], [2, 1, 7]).client.connectionInfo?.srtpProfile?.name).toBe('SRTP_AES128_CM_SHA1_80');
  });

  it('no common profile still connects, without SRTP', () => {
    const { client, server } = pairWith([8], [1]);
    expect(client.state).toBe('connected');
    expect(client.connectionInfo?.srtpProfile).toBeUndefined();
    expect(server.exportSrtpKeys()).toBeUndefined();
  });

  it('SRTP keys are mirrored between the sides', () => {
    const { client, server } = pairWith([1]);
    const c = client.exportSrtpKeys();
    const s = server.exportSrtpKeys();
    expect(c && s && toHex(c.localKey)).toBe(s && toHex(s.remoteKey));
    expect(c && s && toHex(c.remoteSalt)).toBe(s && toHex(s.localSalt));
    expect(c?.localKey.byteLength).toBe(16);
    expect(c?.localSalt.byteLength).toBe(14);
  });
});

describe('close', () => {
  it('close_notify closes both sides', () => {
    const cred = testCredential('p256', 'server');
    const client = new DtlsClient({ random: seededRandom(1), verifyPeer: fingerprintVerifier(cred.fingerprint) });
    const server = new DtlsServer({ random: seededRandom(2), credential: cred });
    const link = run(client, server);
    client.close();
    link.run(() => server.state === 'closed', link.now + 1000);
    expect(server.state).toBe('closed');
    expect(link.events[1].some((e) => e.type === 'alert' && e.name === 'close_notify' && !e.sent)).toBe(true);
    expect(link.events[0].some((e) => e.type === 'closed')).toBe(true);
    expect(() => client.send(enc.encode('x'))).toThrow();
  });
});
