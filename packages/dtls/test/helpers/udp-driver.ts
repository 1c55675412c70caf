import { type Socket, createSocket } from 'node:dgram';
import type { DtlsConnection, DtlsEvent } from '../../src/index.js';

/**
 * Test-only driver: runs a sans-IO DTLS endpoint over a real UDP socket with real timers
 * (the node package has the production driver).
 */
export class UdpDriver {
  readonly events: DtlsEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly start = performance.now();
  private listeners: (() => void)[] = [];
  remote: { address: string; port: number } | undefined;

  private constructor(
    readonly conn: DtlsConnection,
    readonly socket: Socket,
  ) {
    socket.on('message', (msg, rinfo) => {
      this.remote ??= { address: rinfo.address, port: rinfo.port };
      conn.handle(this.now(), new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
      this.pump();
    });
  }

  static async open(conn: DtlsConnection, remote?: { address: string; port: number }): Promise<UdpDriver> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const d = new UdpDriver(conn, socket);
    d.remote = remote;
    return d;
  }

  get port(): number {
    return this.socket.address().port;
  }

  now(): number {
    return performance.now() - this.start;
  }

  pump(): void {
    for (let d = this.conn.pollTransmit(); d; d = this.conn.pollTransmit()) {
      if (this.remote) this.socket.send(d, this.remote.port, this.remote.address);
    }
    for (let e = this.conn.pollEvent(); e; e = this.conn.pollEvent()) this.events.push(e);
    if (this.timer) clearTimeout(this.timer);
    const at = this.conn.pollTimeout();
    if (at !== undefined) {
      this.timer = setTimeout(
        () => {
          this.conn.handleTimeout(this.now());
          this.pump();
        },
        Math.max(0, at - this.now()),
      );
    }
    for (const l of this.listeners) l();
  }

  /** Resolve once `pred` holds for the collected events (checked after every pump). */
  waitFor(pred: (events: DtlsEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`timeout; events: ${JSON.stringify(this.events.map((e) => e.type))}`)),
        timeoutMs,
      );
      const check = () => {
        if (pred(this.events)) {
          clearTimeout(t);
          this.listeners = this.listeners.filter((l) => l !== check);
          resolve();
        }
      };
      this.listeners.push(check);
      check();
    });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.socket.close();
  }
}
