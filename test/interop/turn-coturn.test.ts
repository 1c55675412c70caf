import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { type SocketAddress, secureRandom, socketAddress } from '@rtcwire/common';
import { TurnClient, type TurnEvent, type TurnTransport } from '@rtcwire/ice';
import {
  Attr,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  makeAttribute,
  newTransactionId,
  StreamFramer,
  StunMethod,
  StunTransaction,
  verifyFingerprint,
} from '@rtcwire/stun';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Coturn, startCoturn } from './harness/coturn.js';

/**
 * Drives the sans-IO TurnClient with real sockets against coturn: one timer armed at
 * pollTimeout(), everything drained after every input.
 */
class Driver {
  readonly events: TurnEvent[] = [];
  private readonly t0 = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    readonly client: TurnClient,
    private readonly write: (bytes: Uint8Array) => void,
  ) {}

  now(): number {
    return performance.now() - this.t0;
  }

  feed(bytes: Uint8Array): void {
    this.client.handleBytes(this.now(), bytes);
    this.pump();
  }

  pump(): void {
    for (let d = this.client.pollTransmit(); d; d = this.client.pollTransmit()) this.write(d.data);
    for (let e = this.client.pollEvent(); e; e = this.client.pollEvent()) this.events.push(e);
    for (const w of this.waiters.splice(0)) w();
    if (this.timer) clearTimeout(this.timer);
    const at = this.client.pollTimeout();
    if (at !== undefined) {
      this.timer = setTimeout(
        () => {
          this.client.handleTimeout(this.now());
          this.pump();
        },
        Math.max(0, at - this.now()),
      );
    }
  }

  /** Resolve with the first event (from `from` on) matching `pred`. */
  async waitFor<T extends TurnEvent['type']>(
    type: T,
    from = 0,
    timeoutMs = 10_000,
  ): Promise<Extract<TurnEvent, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.slice(from).find((x) => x.type === type);
      if (e) return e as Extract<TurnEvent, { type: T }>;
      const failed = this.events.find((x) => x.type === 'failed');
      if (failed && type !== 'failed') throw new Error(`TURN failed: ${JSON.stringify(failed)}`);
      if (Date.now() > deadline) throw new Error(`no ${type} event; got ${this.events.map((x) => x.type).join(',')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

interface Connected {
  driver: Driver;
  close(): void;
}

async function connectClient(turn: Coturn, transport: TurnTransport, password = turn.pass): Promise<Connected> {
  const port = transport === 'tls' ? (turn.tlsPort as number) : turn.port;
  const server = socketAddress(turn.host, port);
  const client = new TurnClient({ server, transport, username: turn.user, password, software: 'rtcwire-test' });
  if (transport === 'udp') {
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const driver = new Driver(client, (b) => sock.send(b, port, turn.host));
    sock.on('message', (msg) => driver.feed(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength)));
    return {
      driver,
      close: () => {
        driver.stop();
        sock.close();
      },
    };
  }
  const stream =
    transport === 'tcp'
      ? tcpConnect({ host: turn.host, port })
      : tlsConnect({ host: turn.host, port, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    stream.once(transport === 'tcp' ? 'connect' : 'secureConnect', () => resolve());
    stream.once('error', reject);
  });
  const driver = new Driver(client, (b) => stream.write(b));
  stream.on('data', (chunk: Buffer) => driver.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  return {
    driver,
    close: () => {
      driver.stop();
      stream.destroy();
    },
  };
}

/** A UDP peer that answers every datagram with `pong:` + payload, recording where it came from. */
async function echoPeer(): Promise<{ sock: UdpSocket; address: SocketAddress; senders: SocketAddress[] }> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const senders: SocketAddress[] = [];
  sock.on('message', (msg, rinfo) => {
    senders.push(socketAddress(rinfo.address, rinfo.port));
    sock.send(Buffer.concat([Buffer.from('pong:'), msg]), rinfo.port, rinfo.address);
  });
  return { sock, address: socketAddress('127.0.0.1', sock.address().port), senders };
}

const text = (b: Uint8Array): string => Buffer.from(b).toString();

describe('TURN client against coturn', () => {
  let turn: Coturn;
  beforeAll(async () => {
    turn = await startCoturn({ tls: true });
  });
  afterAll(async () => {
    await turn?.stop();
  });

  it('STUN Binding over UDP returns our address in XOR-MAPPED-ADDRESS', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const tid = newTransactionId(secureRandom);
    const req = encodeStunMessage(
      {
        class: 'request',
        method: StunMethod.BINDING,
        transactionId: tid,
        attributes: [makeAttribute(Attr.SOFTWARE, 'rtcwire')],
      },
      { fingerprint: true },
    );
    // Drive the RFC 8489 retransmission state machine with real timers.
    const t0 = performance.now();
    const txn = new StunTransaction(0, req, { rtoMs: 100 });
    let timer: NodeJS.Timeout | undefined;
    const pump = (): void => {
      for (let b = txn.pollTransmit(); b; b = txn.pollTransmit()) sock.send(b, turn.port, turn.host);
      const at = txn.pollTimeout();
      if (at !== undefined) {
        timer = setTimeout(
          () => {
            txn.handleTimeout(performance.now() - t0);
            pump();
          },
          at - (performance.now() - t0),
        );
      }
    };
    const got = new Promise<Uint8Array>((resolve) => sock.once('message', (m) => resolve(new Uint8Array(m))));
    pump();
    const raw = await got;
    clearTimeout(timer);
    const localPort = sock.address().port;
    sock.close();
    const res = decodeStunMessage(raw);
    expect(txn.handleResponse(res)).toBe(true);
    expect(txn.pollResult()?.type).toBe('success');
    expect(verifyFingerprint(raw)).toBe(true);
    expect(getAttribute(res, Attr.XOR_MAPPED_ADDRESS)).toEqual({
      address: '127.0.0.1',
      port: localPort,
      family: 'IPv4',
    });
  });

  it('STUN Binding over TCP through the stream framer', async () => {
    const s = tcpConnect({ host: turn.host, port: turn.port });
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const framer = new StreamFramer();
    const tid = newTransactionId(secureRandom);
    const got = new Promise<Uint8Array>((resolve) =>
      s.on('data', (chunk: Buffer) => {
        for (const f of framer.push(new Uint8Array(chunk))) if (f.kind === 'stun') resolve(f.bytes);
      }),
    );
    s.write(encodeStunMessage({ class: 'request', method: StunMethod.BINDING, transactionId: tid, attributes: [] }));
    const res = decodeStunMessage(await got);
    expect(res.class).toBe('success');
    expect(getAttribute(res, Attr.XOR_MAPPED_ADDRESS)?.port).toBe(s.localPort);
    s.destroy();
  });

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`${transport}: allocates, relays via Send indication and ChannelData, and deallocates`, async () => {
      const peer = await echoPeer();
      const { driver, close } = await connectClient(turn, transport);
      try {
        driver.client.allocate(driver.now());
        driver.pump();
        const allocated = await driver.waitFor('allocated');
        expect(allocated.relayed.address).toBe('127.0.0.1');
        expect(allocated.lifetimeS).toBeGreaterThan(0);
        expect(allocated.mapped?.address).toBe('127.0.0.1');

        // Send indication path (permission installed first, data queued meanwhile).
        let mark = driver.events.length;
        driver.client.send(driver.now(), peer.address, new TextEncoder().encode('hello'));
        driver.pump();
        const viaIndication = await driver.waitFor('data', mark);
        expect(text(viaIndication.data)).toBe('pong:hello');
        expect(viaIndication.peer).toEqual(peer.address);
        expect(viaIndication.channel).toBeUndefined();
        expect(peer.senders[0]).toEqual(allocated.relayed);

        // ChannelData path.
        mark = driver.events.length;
        const channel = driver.client.bindChannel(driver.now(), peer.address);
        driver.pump();
        await driver.waitFor('channel-bound', mark);
        mark = driver.events.length;
        driver.client.send(driver.now(), peer.address, new TextEncoder().encode('again'));
        driver.pump();
        const viaChannel = await driver.waitFor('data', mark);
        expect(text(viaChannel.data)).toBe('pong:again');
        expect(viaChannel.channel).toBe(channel);

        // An explicit Refresh (authenticated with the current nonce) keeps the allocation.
        mark = driver.events.length;
        driver.client.refresh(driver.now());
        driver.pump();
        const refreshed = await driver.waitFor('refreshed', mark);
        expect(refreshed.lifetimeS).toBeGreaterThan(0);

        driver.client.close(driver.now());
        driver.pump();
        await driver.waitFor('closed');
        expect(driver.client.drops.total).toBe(0);
      } finally {
        close();
        peer.sock.close();
      }
    });
  }

  it('wrong password ends in a 401 unauthorized failure', async () => {
    const { driver, close } = await connectClient(turn, 'udp', 'not-the-password');
    try {
      driver.client.allocate(driver.now());
      driver.pump();
      const failed = await driver.waitFor('failed');
      expect(failed.error.code).toBe('unauthorized');
      expect(failed.error.stunCode).toBe(401);
    } finally {
      close();
    }
  });
});
