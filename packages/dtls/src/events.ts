import type { DtlsError } from './alert.js';
import type { GroupName } from './ecdhe.js';

/** What a finished handshake negotiated (the `connected` event). */
export interface DtlsConnectionInfo {
  readonly role: 'client' | 'server';
  readonly cipherSuite: string;
  readonly cipherSuiteId: number;
  /** ECDHE group, absent for PSK suites. */
  readonly group?: GroupName;
  /** Negotiated DTLS-SRTP profile (RFC 5764), absent when none was agreed. */
  readonly srtpProfile?: { readonly id: number; readonly name: string };
  /** Peer certificate chain (DER, leaf first); empty for PSK or an unauthenticated client. */
  readonly peerCertificateChain: readonly Uint8Array[];
  /** What the PeerVerifier reported. */
  readonly peerFingerprint?: string;
  readonly peerSubject?: string;
  /** The PSK identity used (PSK suites). */
  readonly pskIdentity?: Uint8Array;
  readonly extendedMasterSecret: boolean;
  readonly signatureScheme?: number;
}

export type DtlsEvent =
  | { readonly type: 'connected'; readonly info: DtlsConnectionInfo }
  | { readonly type: 'data'; readonly data: Uint8Array }
  | {
      readonly type: 'alert';
      readonly level: 'warning' | 'fatal';
      readonly code: number;
      readonly name: string;
      /** true when this side sent it, false when received. */
      readonly sent: boolean;
    }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly error: DtlsError };

export type DtlsState = 'new' | 'handshaking' | 'connected' | 'closed' | 'failed';
