import { seededRandom, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, DtlsClient, DtlsServer, type GroupName } from '../src/index.js';
import { fingerprintVerifier, testCredential } from './helpers/certs.js';
import { TestLink } from './helpers/pipe.js';

function pair(suite: string, group: GroupName = 'x25519', kind: 'p256' | 'p384' | 'rsa' = 'p256') {
  const serverCred = testCredential(kind, 'server');
  const client = new DtlsClient({
    random: seededRandom(1),
    cipherSuites: [suite],
    groups: [group],
    verifyPeer: fingerprintVerifier(serverCred.fingerprint),
    srtpProfiles: [1, 7],
  });
  const server = new DtlsServer({ random: seededRandom(2), credential: serverCred, groups: [group] });
  return { client, server };
}

describe('in-memory handshakes', () => {
  const groups: GroupName[] = ['x25519', 'secp256r1', 'secp384r1'];
  for (const suite of CIPHER_SUITES.filter((s) => s.keyExchange !== 'psk'))
    for (const group of groups) {
      it(`completes ${suite.name} over ${group}`, () => {
        const { client, server } = pair(suite.name, group, suite.keyExchange === 'ecdhe_rsa' ? 'rsa' : 'p256');
        client.start(0);
        const link = new TestLink(client, server);
        link.run(() => link.connected());
        expect(client.state).toBe('connected');
        expect(server.state).toBe('connected');
        const info = client.connectionInfo;
        expect(info?.cipherSuite).toBe(suite.name);
        expect(info?.group).toBe(group);
        expect(server.connectionInfo?.cipherSuite).toBe(suite.name);
        expect(info?.srtpProfile?.name).toBe('SRTP_AEAD_AES_128_GCM');
        expect(toHex(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 56))).toBe(
          toHex(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 56)),
        );
        client.send(new TextEncoder().encode('hello'));
        server.send(new TextEncoder().encode('world'));
        link.run(() => false, link.now + 1000);
        expect(
          link.events[1]
            .filter((e) => e.type === 'data')
            .map((e) => e.type === 'data' && new TextDecoder().decode(e.data)),
        ).toEqual(['hello']);
        expect(
          link.events[0]
            .filter((e) => e.type === 'data')
            .map((e) => e.type === 'data' && new TextDecoder().decode(e.data)),
        ).toEqual(['world']);
      });
    }
});
