import { type AddressFamily, type Logger, type RandomSource, RtcwireError, type SocketAddress } from '@rtcwire/common';

/** How the client reaches the TURN server. TCP and TLS are both byte streams to the core. */
export type TurnTransport = 'udp' | 'tcp' | 'tls';

export interface TurnClientOptions {
  /** The TURN server's transport address. */
  readonly server: SocketAddress;
  /** The local socket address, copied into outgoing `Datagram.local` (default 0.0.0.0:0). */
  readonly local?: SocketAddress;
  /** Default 'udp'. With 'tcp'/'tls' the core consumes and emits stream bytes (RFC 8656 §3.1). */
  readonly transport?: TurnTransport;
  readonly username: string;
  readonly password: string;
  /** Transaction ids come from here (default: secureRandom). */
  readonly random?: RandomSource;
  /** SOFTWARE attribute value for requests. */
  readonly software?: string;
  /** Requested allocation lifetime in seconds (LIFETIME attribute); the server decides. */
  readonly lifetimeS?: number;
  /** Ask for a relayed address of this family (REQUESTED-ADDRESS-FAMILY, RFC 8656 §7.1); server default is IPv4. */
  readonly relayFamily?: AddressFamily;
  /** Initial STUN RTO for UDP (default 500 ms, RFC 8489 §6.2.1). */
  readonly rtoMs?: number;
  /** Append FINGERPRINT to every message (default true). */
  readonly fingerprint?: boolean;
  readonly logger?: Logger;
}

export type TurnOperation = 'allocate' | 'refresh' | 'permission' | 'channel-bind' | 'deallocate' | 'transport';

export type TurnErrorCode =
  /** 401 after credentials were sent (wrong username/password), or 401 without REALM/NONCE. */
  | 'unauthorized'
  /** No response within the STUN transaction timeout. */
  | 'timeout'
  /** Any other error response; see `stunCode`. */
  | 'error-response'
  /** The server kept answering 438 Stale Nonce. */
  | 'stale-nonce'
  /** A success response without the attributes it must carry. */
  | 'bad-response'
  /** The TCP/TLS byte stream could not be framed (connection must be closed). */
  | 'stream-error';

/** A failed TURN operation: a typed event payload, never thrown out of a receive path. */
export class TurnError extends RtcwireError {
  override readonly code: TurnErrorCode;
  readonly operation: TurnOperation;
  /** The STUN error code from the server, when there was one. */
  readonly stunCode: number | undefined;
  readonly reason: string | undefined;

  constructor(code: TurnErrorCode, operation: TurnOperation, message: string, stunCode?: number, reason?: string) {
    super(code, `${operation}: ${message}`);
    this.code = code;
    this.operation = operation;
    this.stunCode = stunCode;
    this.reason = reason;
  }
}

export type TurnClientState = 'idle' | 'allocating' | 'allocated' | 'closing' | 'closed' | 'failed';

export type TurnEvent =
  | {
      readonly type: 'allocated';
      readonly relayed: SocketAddress;
      readonly mapped: SocketAddress | undefined;
      readonly lifetimeS: number;
    }
  | { readonly type: 'refreshed'; readonly lifetimeS: number }
  /** A permission for this peer IP was installed for the first time. */
  | { readonly type: 'permission'; readonly peer: string }
  | { readonly type: 'permission-failed'; readonly peer: string; readonly error: TurnError }
  | { readonly type: 'channel-bound'; readonly peer: SocketAddress; readonly channel: number }
  | {
      readonly type: 'channel-failed';
      readonly peer: SocketAddress;
      readonly channel: number;
      readonly error: TurnError;
    }
  /** Data relayed from a peer (Data indication, or ChannelData when `channel` is set). */
  | { readonly type: 'data'; readonly peer: SocketAddress; readonly data: Uint8Array; readonly channel?: number }
  /** The allocation failed or was lost; the client is done. */
  | { readonly type: 'failed'; readonly error: TurnError }
  /** The allocation was released by `close()` (or was never made). */
  | { readonly type: 'closed' };
