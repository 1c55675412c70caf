/**
 * One DTLS association running on a real socket: what `connectDtls` resolves to and what
 * `DtlsListener` hands out. All calls into the sans-IO core go through `run`, which feeds the
 * current time and drains output (the driver's single timer stays armed for pollTimeout).
 */
import type { SocketAddress } from '@rtcwire/common';
import { type DtlsConnectionInfo, DtlsError, type DtlsEvent } from '@rtcwire/dtls';
import type { DtlsCore } from './dtls-endpoint.js';

type Listener<T> = (value: T) => void;

export class DtlsSession {
  private readonly dataListeners: Listener<Uint8Array>[] = [];
  private readonly closeListeners: Listener<DtlsError | undefined>[] = [];
  private readonly alertListeners: Listener<Extract<DtlsEvent, { type: 'alert' }>>[] = [];
  private readonly handshake: Promise<DtlsConnectionInfo>;
  private settle: { resolve: Listener<DtlsConnectionInfo>; reject: Listener<DtlsError> } | undefined;
  private ended = false;
  /** Alerts seen so far (sent and received). */
  readonly alerts: Extract<DtlsEvent, { type: 'alert' }>[] = [];

  /** @internal — created by connectDtls / DtlsListener. */
  constructor(
    readonly core: DtlsCore,
    readonly local: SocketAddress,
    readonly remote: SocketAddress,
    private readonly run: (fn: (core: DtlsCore) => void) => void,
    private readonly release: () => Promise<void>,
  ) {
    this.handshake = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Callers who only use events must not see an unhandled rejection.
    this.handshake.catch(() => {});
  }

  /** Resolves with the negotiated parameters; rejects with the DtlsError that ended the handshake. */
  connected(): Promise<DtlsConnectionInfo> {
    return this.handshake;
  }

  get info(): DtlsConnectionInfo | undefined {
    return this.core.connectionInfo;
  }

  get state(): DtlsSession['core']['state'] {
    return this.core.state;
  }

  /** Send one application-data record. */
  send(data: Uint8Array): void {
    this.run((core) => core.send(data));
  }

  /** RFC 5705 exporter, e.g. `('EXTRACTOR-dtls_srtp', 60)` (RFC 5764 §4.2). */
  exportKeyingMaterial(label: string, length: number, context?: Uint8Array): Uint8Array {
    return context === undefined
      ? this.core.exportKeyingMaterial(label, length)
      : this.core.exportKeyingMaterial(label, length, context);
  }

  onData(listener: Listener<Uint8Array>): () => void {
    return add(this.dataListeners, listener);
  }

  /** Called once when the association ends: `undefined` for an orderly close, the error otherwise. */
  onClose(listener: Listener<DtlsError | undefined>): () => void {
    return add(this.closeListeners, listener);
  }

  onAlert(listener: Listener<Extract<DtlsEvent, { type: 'alert' }>>): () => void {
    return add(this.alertListeners, listener);
  }

  /** Send close_notify, then release the socket (client) or the slot (server session). */
  async close(): Promise<void> {
    if (this.core.state !== 'closed' && this.core.state !== 'failed') this.run((core) => core.close());
    this.end(undefined);
    await this.release();
  }

  /** @internal — the driver delivers this session's events here. */
  deliver(event: DtlsEvent): void {
    switch (event.type) {
      case 'connected':
        this.settle?.resolve(event.info);
        break;
      case 'data':
        for (const l of [...this.dataListeners]) l(event.data);
        break;
      case 'alert':
        this.alerts.push(event);
        for (const l of [...this.alertListeners]) l(event);
        break;
      case 'closed':
        this.settle?.reject(closedBeforeConnected());
        this.end(undefined);
        break;
      case 'failed':
        this.settle?.reject(event.error);
        this.end(event.error);
        break;
    }
  }

  /** @internal — the transport failed or the listener closed. */
  abort(error: DtlsError): void {
    this.settle?.reject(error);
    this.end(error);
  }

  private end(error: DtlsError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.settle = undefined;
    for (const l of [...this.closeListeners]) l(error);
  }
}

function closedBeforeConnected(): DtlsError {
  return new DtlsError('closed', 'the connection closed before the handshake finished', { alert: 0 });
}

function add<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
