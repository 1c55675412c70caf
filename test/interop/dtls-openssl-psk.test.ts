/**
 * rtcwire DTLS 1.2 PSK suites (RFC 4279, 5487, 6655) against OpenSSL 3 `-psk` on 127.0.0.1, both
 * directions; the EXTRACTOR-dtls_srtp output must match OpenSSL's `Keying material`.
 */

import type { DtlsClientOptions, DtlsServerOptions } from '@rtcwire/dtls';
import { connectDtls, DtlsListener, type DtlsSession } from '@rtcwire/node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OPENSSL_CIPHER_NAMES,
  type OpensslDtlsOptions,
  type OpensslProcess,
  startOpensslClient,
  startOpensslServer,
} from './harness/openssl.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const running: OpensslProcess[] = [];
const closers: (() => Promise<void>)[] = [];
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

describe('PSK suites with openssl -psk', () => {
  const key = '00112233445566778899aabbccddeeff';
  const identity = 'rtcwire-device';
  const suites = [
    'TLS_PSK_WITH_AES_128_GCM_SHA256',
    'TLS_PSK_WITH_AES_256_GCM_SHA384',
    'TLS_PSK_WITH_AES_128_CCM',
    'TLS_PSK_WITH_AES_128_CCM_8',
  ];

  it.each(suites)('rtcwire client → openssl s_server -nocert: %s', async (suite) => {
    const server = await opensslServer({
      noCert: true,
      psk: { identity, keyHex: key },
      cipher: OPENSSL_CIPHER_NAMES[suite] as string,
      keyingMaterialLength: 60,
    });
    const session = await ourClient(server.port, {
      psk: { identity: new TextEncoder().encode(identity), key: new Uint8Array(Buffer.from(key, 'hex')) },
      cipherSuites: [suite],
    });
    await server.waitFor(/Keying material: [0-9A-F]+/);
    expect(session.info?.cipherSuite).toBe(suite);
    expect(server.result().cipher).toBe(OPENSSL_CIPHER_NAMES[suite]);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(server.result().keyingMaterial);
  });

  it.each(suites)('openssl s_client → rtcwire server: %s', async (suite) => {
    const listener = await ourServer({
      pskLookup: (id) =>
        new TextDecoder().decode(id) === identity ? new Uint8Array(Buffer.from(key, 'hex')) : undefined,
      cipherSuites: [suite],
    });
    const accepted = listener.accept();
    const client = opensslClient(listener.local.port, {
      psk: { identity, keyHex: key },
      cipher: OPENSSL_CIPHER_NAMES[suite] as string,
      keyingMaterialLength: 60,
    });
    const session = await accepted;
    await client.waitFor(/Keying material: [0-9A-F]+/);
    expect(new TextDecoder().decode(session.info?.pskIdentity)).toBe(identity);
    expect(client.result().cipher).toBe(OPENSSL_CIPHER_NAMES[suite]);
    expect(hex(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(client.result().keyingMaterial);
  });

  it('a wrong key never completes: OpenSSL discards the undecryptable Finished (RFC 6347 §4.1.2.7), we time out', async () => {
    const server = await opensslServer({
      noCert: true,
      psk: { identity, keyHex: key },
      cipher: 'PSK-AES128-GCM-SHA256',
      keyingMaterialLength: 60,
    });
    const err = await connectDtls({
      remote: `127.0.0.1:${server.port}`,
      dtls: {
        psk: { identity: new TextEncoder().encode(identity), key: new Uint8Array(16) },
        cipherSuites: ['TLS_PSK_WITH_AES_128_GCM_SHA256'],
        initialRetransmitMs: 100,
        maxRetransmissions: 3,
      },
    }).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).toBe('handshake_timeout');
    expect(server.result().keyingMaterial).toBeUndefined();
  });
});
