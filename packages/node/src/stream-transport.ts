import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { type Datagram, type SocketAddress, socketAddress } from '@rtcwire/common';
import type { Transport, TransportHandlers } from './transport.js';

export interface StreamConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Wrap in TLS (TURN `turns:`, RFC 5766 §2.1 / RFC 7065). */
  readonly tls?: boolean;
  /** TLS: the name to verify (defaults to `host` when it is a name). */
  readonly servername?: string;
  /** TLS: accept certificates that do not chain to a trusted root (self-signed test servers). */
  readonly rejectUnauthorized?: boolean;
  /** TLS: extra trusted roots (PEM). */
  readonly ca?: string | readonly string[];
  /** Give up connecting after this long. */
  readonly timeoutMs?: number;
  /** Local address to connect from. */
  readonly localAddress?: string;
}

/**
 * A TCP or TLS connection to one peer (a TURN server). Bytes arrive as they come off the stream,
 * each chunk as a `Datagram` with `protocol: 'tcp'`; message framing (RFC 4571 / RFC 5766 §11.7
 * padding) is the sans-IO core's job. Outgoing data is written to the stream in order.
 */
export class StreamTransport implements Transport {
  readonly protocol = 'tcp' as const;
  private handlers: TransportHandlers | undefined;
  private closing = false;
  private ended = false;
  /** Chunks that arrived before `attach` (the server may speak first right after connecting). */
  private early: Uint8Array[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly local: SocketAddress,
    readonly remote: SocketAddress,
    readonly tls: boolean,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.handlers?.error(err));
    socket.on('close', () => {
      this.ended = true;
      this.handlers?.closed?.();
    });
  }

  static connect(options: StreamConnectOptions): Promise<StreamTransport> {
    return new Promise((resolve, reject) => {
      const tls = options.tls === true;
      const base = {
        host: options.host,
        port: options.port,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      };
      let socket: Socket;
      if (tls) {
        const tlsOptions: ConnectionOptions = {
          ...base,
          rejectUnauthorized: options.rejectUnauthorized ?? true,
          ...(options.ca ? { ca: options.ca as string[] | string } : {}),
        };
        const servername = options.servername ?? (isIp(options.host) ? undefined : options.host);
        if (servername) tlsOptions.servername = servername;
        socket = tlsConnect(tlsOptions);
      } else {
        socket = netConnect(base);
      }
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => fail(new Error(`connect to ${options.host}:${options.port} timed out`)),
              options.timeoutMs,
            );
      const fail = (err: Error) => {
        if (timer) clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      socket.once('error', fail);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        if (timer) clearTimeout(timer);
        socket.off('error', fail);
        const local = socketAddress(socket.localAddress ?? '0.0.0.0', socket.localPort ?? 0);
        const remote = socketAddress(socket.remoteAddress ?? options.host, socket.remotePort ?? options.port);
        resolve(new StreamTransport(socket, local, remote, tls));
      });
    });
  }

  attach(handlers: TransportHandlers): void {
    this.handlers = handlers;
    const early = this.early;
    this.early = [];
    for (const chunk of early) this.deliver(chunk);
    if (this.ended) handlers.closed?.();
  }

  /** Write bytes to the stream; `remote` must be the connected peer. */
  send(remote: SocketAddress, data: Uint8Array): void {
    if (this.closing || this.ended) return;
    if (remote.port !== this.remote.port || remote.address !== this.remote.address) {
      this.handlers?.error(new Error(`stream to ${this.remote.address}:${this.remote.port} cannot send elsewhere`));
      return;
    }
    this.socket.write(data);
  }

  get isOpen(): boolean {
    return !this.ended && !this.closing;
  }

  close(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never acknowledges the FIN must not hold close() open.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }

  private onData(chunk: Buffer): void {
    if (!this.handlers) {
      this.early.push(chunk);
      return;
    }
    this.deliver(chunk);
  }

  private deliver(chunk: Uint8Array): void {
    const d: Datagram = { local: this.local, remote: this.remote, data: chunk, protocol: 'tcp' };
    this.handlers?.datagram(d);
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
