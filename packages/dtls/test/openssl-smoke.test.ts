import { join } from 'node:path';
import { toHex } from '@rtcwire/common';
import { afterEach, describe, expect, it } from 'vitest';
import { DtlsClient, DtlsServer } from '../src/index.js';
import { fingerprintVerifier, testCredential } from './helpers/certs.js';
import { type OpensslProcess, freeUdpPort, startOpenssl, writeTemp } from './helpers/openssl.js';
import { UdpDriver } from './helpers/udp-driver.js';

const started: { stop(): void }[] = [];
afterEach(() => {
  for (const s of started.splice(0)) s.stop();
});

function track<T extends { stop(): void }>(x: T): T {
  started.push(x);
  return x;
}

function keyingMaterial(p: OpensslProcess): Promise<string> {
  return p.waitForOutput(/Keying material: ([0-9A-F]+)/).then((m) => (m[1] ?? '').toLowerCase());
}

describe('OpenSSL smoke test (DTLS 1.2 wire format)', () => {
  it('our client completes a handshake with openssl s_server, SRTP profile and exporter agree', async () => {
    const cred = testCredential('p256', 'openssl-server');
    const dir = writeTemp({ 'c.pem': cred.certPem, 'k.pem': cred.keyPem });
    const port = await freeUdpPort();
    const server = track(
      startOpenssl([
        's_server',
        '-dtls1_2',
        '-naccept',
        '1',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        join(dir, 'c.pem'),
        '-key',
        join(dir, 'k.pem'),
        '-use_srtp',
        'SRTP_AES128_CM_SHA1_80',
        '-keymatexport',
        'EXTRACTOR-dtls_srtp',
        '-keymatexportlen',
        '60',
      ]),
    );
    await server.waitForOutput(/ACCEPT/);
    const client = new DtlsClient({
      verifyPeer: fingerprintVerifier(cred.fingerprint),
      srtpProfiles: [7, 1],
      initialRetransmitMs: 300,
    });
    const driver = await UdpDriver.open(client, { address: '127.0.0.1', port });
    track({ stop: () => driver.close() });
    client.start(driver.now());
    driver.pump();
    await driver.waitFor((ev) => ev.some((e) => e.type === 'connected' || e.type === 'failed'));
    const connected = driver.events.find((e) => e.type === 'connected');
    expect(connected?.type === 'connected' && connected.info.srtpProfile?.name).toBe('SRTP_AES128_CM_SHA1_80');
    const theirs = await keyingMaterial(server);
    expect(toHex(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(theirs);
    client.send(new TextEncoder().encode('ping from rtcwire\n'));
    driver.pump();
    await server.waitForOutput(/ping from rtcwire/);
  });

  it('openssl s_client completes a handshake with our server, exporter agrees', async () => {
    const cred = testCredential('p256', 'rtcwire-server');
    const server = new DtlsServer({ credential: cred, initialRetransmitMs: 300 });
    const driver = await UdpDriver.open(server);
    track({ stop: () => driver.close() });
    const client = track(
      startOpenssl([
        's_client',
        '-dtls1_2',
        '-connect',
        `127.0.0.1:${driver.port}`,
        '-use_srtp',
        'SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80',
        '-keymatexport',
        'EXTRACTOR-dtls_srtp',
        '-keymatexportlen',
        '56',
      ]),
    );
    await driver.waitFor((ev) => ev.some((e) => e.type === 'connected' || e.type === 'failed'));
    const connected = driver.events.find((e) => e.type === 'connected');
    expect(connected?.type === 'connected' && connected.info.srtpProfile?.name).toBe('SRTP_AEAD_AES_128_GCM');
    const theirs = await keyingMaterial(client);
    expect(toHex(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 56))).toBe(theirs);
    client.proc.stdin.write('hello from openssl\n');
    await driver.waitFor((ev) => ev.some((e) => e.type === 'data'));
    const data = driver.events.find((e) => e.type === 'data');
    expect(data?.type === 'data' && new TextDecoder().decode(data.data)).toBe('hello from openssl\n');
  });

  for (const [opensslCipher, ours] of [
    ['PSK-AES128-GCM-SHA256', 'TLS_PSK_WITH_AES_128_GCM_SHA256'],
    ['PSK-AES128-CCM8', 'TLS_PSK_WITH_AES_128_CCM_8'],
  ] as const) {
    it(`PSK: our client with openssl s_server -psk (${opensslCipher})`, async () => {
      const port = await freeUdpPort();
      const server = track(
        startOpenssl([
          's_server',
          '-dtls1_2',
          '-naccept',
          '1',
          '-accept',
          `127.0.0.1:${port}`,
          '-nocert',
          '-psk',
          '00112233445566778899aabbccddeeff',
          '-psk_identity',
          'rtcwire',
          '-psk_hint',
          'hint',
          '-cipher',
          opensslCipher,
          '-keymatexport',
          'EXTRACTOR-dtls_srtp',
          '-keymatexportlen',
          '60',
        ]),
      );
      await server.waitForOutput(/ACCEPT/);
      const key = Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
      const client = new DtlsClient({
        psk: { identity: new TextEncoder().encode('rtcwire'), key },
        cipherSuites: [ours],
        initialRetransmitMs: 300,
      });
      const driver = await UdpDriver.open(client, { address: '127.0.0.1', port });
      track({ stop: () => driver.close() });
      client.start(driver.now());
      driver.pump();
      await driver.waitFor((ev) => ev.some((e) => e.type === 'connected' || e.type === 'failed'));
      expect(client.state).toBe('connected');
      expect(toHex(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(await keyingMaterial(server));
    });
  }

  it('mutual authentication: our client presents a certificate to openssl s_server -Verify', async () => {
    const cred = testCredential('p256', 'openssl-server');
    const clientCred = testCredential('rsa', 'rtcwire-client');
    const dir = writeTemp({ 'c.pem': cred.certPem, 'k.pem': cred.keyPem });
    const port = await freeUdpPort();
    const server = track(
      startOpenssl([
        's_server',
        '-dtls1_2',
        '-naccept',
        '1',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        join(dir, 'c.pem'),
        '-key',
        join(dir, 'k.pem'),
        '-Verify',
        '1',
        '-keymatexport',
        'EXTRACTOR-dtls_srtp',
        '-keymatexportlen',
        '60',
      ]),
    );
    await server.waitForOutput(/ACCEPT/);
    const client = new DtlsClient({
      credential: clientCred,
      verifyPeer: fingerprintVerifier(cred.fingerprint),
      initialRetransmitMs: 300,
    });
    const driver = await UdpDriver.open(client, { address: '127.0.0.1', port });
    track({ stop: () => driver.close() });
    client.start(driver.now());
    driver.pump();
    await driver.waitFor((ev) => ev.some((e) => e.type === 'connected' || e.type === 'failed'));
    expect(client.state).toBe('connected');
    expect(toHex(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(await keyingMaterial(server));
    await server.waitForOutput(/CN ?= ?rtcwire-client/);
  });

  it('mutual authentication: openssl s_client presents a certificate to our server', async () => {
    const cred = testCredential('p256', 'rtcwire-server');
    const clientCred = testCredential('p256', 'openssl-client');
    const dir = writeTemp({ 'c.pem': clientCred.certPem, 'k.pem': clientCred.keyPem });
    const server = new DtlsServer({
      credential: cred,
      clientAuth: 'require',
      verifyPeer: fingerprintVerifier(clientCred.fingerprint),
      initialRetransmitMs: 300,
    });
    const driver = await UdpDriver.open(server);
    track({ stop: () => driver.close() });
    const client = track(
      startOpenssl([
        's_client',
        '-dtls1_2',
        '-connect',
        `127.0.0.1:${driver.port}`,
        '-cert',
        join(dir, 'c.pem'),
        '-key',
        join(dir, 'k.pem'),
        '-keymatexport',
        'EXTRACTOR-dtls_srtp',
        '-keymatexportlen',
        '60',
      ]),
    );
    await driver.waitFor((ev) => ev.some((e) => e.type === 'connected' || e.type === 'failed'));
    expect(server.state).toBe('connected');
    expect(server.connectionInfo?.peerFingerprint).toBe(clientCred.fingerprint);
    expect(toHex(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(await keyingMaterial(client));
  });
});
