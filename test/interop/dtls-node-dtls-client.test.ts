/**
 * node-dtls-client 1.1.1 (a PSK-only DTLS 1.2 client) against our server, one test per PSK suite
 * both stacks implement. node-dtls-client sends no extensions at all, so our server must accept a
 * handshake without extended master secret (RFC 7627) for it. Its PSK table maps an identity to a
 * string whose UTF-8 bytes are the key. Application data is echoed to prove both directions.
 */
import { DtlsListener } from '@rtcwire/node';
import { dtls } from 'node-dtls-client';
import { afterEach, describe, expect, it } from 'vitest';

const identity = 'Client_identity';
const secret = 'secret-psk-value';
const SUITES = [
  'TLS_PSK_WITH_AES_128_GCM_SHA256',
  'TLS_PSK_WITH_AES_256_GCM_SHA384',
  'TLS_PSK_WITH_AES_128_CCM',
  'TLS_PSK_WITH_AES_128_CCM_8',
] as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function echoServer(suite: string, requireEms = false): Promise<DtlsListener> {
  const listener = await DtlsListener.listen({
    local: '127.0.0.1:0',
    dtls: {
      pskLookup: (id) => (new TextDecoder().decode(id) === identity ? new TextEncoder().encode(secret) : undefined),
      cipherSuites: [suite],
      requireExtendedMasterSecret: requireEms,
    },
  });
  listener.onConnected((session) => {
    session.onData((data) => session.send(new Uint8Array([...new TextEncoder().encode('echo:'), ...data])));
  });
  cleanups.push(() => listener.close());
  return listener;
}

function connectClient(port: number, suite: (typeof SUITES)[number]): dtls.Socket {
  const socket = dtls.createSocket({
    type: 'udp4',
    address: '127.0.0.1',
    port,
    psk: { [identity]: secret },
    ciphers: [suite],
    timeout: 5000,
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        try {
          socket.close(() => resolve());
        } catch {
          resolve();
        }
        setTimeout(resolve, 200);
      }),
  );
  return socket;
}

describe('node-dtls-client 1.1.1 → rtcwire server (PSK)', () => {
  it.each(SUITES)('%s: handshake and echoed application data', async (suite) => {
    const listener = await echoServer(suite);
    const accepted = listener.accept();
    const socket = connectClient(listener.local.port, suite);
    const reply = new Promise<string>((resolve, reject) => {
      socket.on('connected', () => socket.send(Buffer.from('hello')));
      socket.on('message', (msg: Buffer) => resolve(msg.toString()));
      socket.on('error', reject);
    });
    const session = await accepted;
    expect(session.info?.cipherSuite).toBe(suite);
    expect(new TextDecoder().decode(session.info?.pskIdentity)).toBe(identity);
    expect(session.info?.extendedMasterSecret).toBe(false);
    expect(await reply).toBe('echo:hello');
  });

  it('is refused when the server insists on extended master secret (node-dtls-client sends no extensions)', async () => {
    const listener = await echoServer('TLS_PSK_WITH_AES_128_GCM_SHA256', true);
    const failure = new Promise<string | undefined>((resolve) => listener.onFailure((_s, e) => resolve(e.alertName)));
    const socket = connectClient(listener.local.port, 'TLS_PSK_WITH_AES_128_GCM_SHA256');
    socket.on('error', () => {});
    expect(await failure).toBe('handshake_failure');
  });
});
