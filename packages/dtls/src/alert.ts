import { ParseError, RtcwireError } from '@rtcwire/common';

/** Alert descriptions (RFC 5246 §7.2, RFC 4279, RFC 7627), name → wire code. */
export const AlertDescription = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  user_canceled: 90,
  no_renegotiation: 100,
  unsupported_extension: 110,
  unknown_psk_identity: 115,
} as const;

export type AlertName = keyof typeof AlertDescription;
/** A wire alert code (any byte; the known ones have names in `AlertDescription`). */
export type AlertDescription = (typeof AlertDescription)[AlertName];

export const AlertLevel = { warning: 1, fatal: 2 } as const;
export type AlertLevel = (typeof AlertLevel)[keyof typeof AlertLevel];

const NAMES = new Map<number, AlertName>(
  (Object.entries(AlertDescription) as [AlertName, number][]).map(([name, code]) => [code, name]),
);

/** The name of an alert code, or `alert_<code>` for codes this stack does not know. */
export function alertName(code: number): string {
  return NAMES.get(code) ?? `alert_${code}`;
}

/**
 * A DTLS failure: a fatal alert sent or received, a peer-verification failure, or a handshake
 * timeout. `alert` is the alert code involved (when there is one); `sent` says which side raised it.
 */
export class DtlsError extends RtcwireError {
  readonly alert: number | undefined;
  readonly alertName: string | undefined;
  readonly sent: boolean;
  constructor(code: string, message: string, options: { alert?: number; sent?: boolean; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.alert = options.alert;
    this.alertName = options.alert === undefined ? undefined : alertName(options.alert);
    this.sent = options.sent ?? false;
  }
}

/** Internal: thrown inside the handshake to abort with a fatal alert to the peer. */
export class FatalAlert extends Error {
  readonly alert: number;
  constructor(alert: number, message: string) {
    super(message);
    this.alert = alert;
  }
}

/** Alert message (RFC 5246 §7.2): level(1) description(1). */
export interface AlertMessage {
  readonly level: number;
  readonly description: number;
}

export function encodeAlert(m: AlertMessage): Uint8Array {
  return Uint8Array.of(m.level, m.description);
}

export function decodeAlert(data: Uint8Array): AlertMessage {
  if (data.byteLength !== 2) throw new ParseError('invalid_length', `alert of ${data.byteLength} bytes`, 0);
  return { level: data[0] as number, description: data[1] as number };
}

/** ChangeCipherSpec (RFC 5246 §7.1): a single byte 1. */
export function encodeChangeCipherSpec(): Uint8Array {
  return Uint8Array.of(1);
}

export function decodeChangeCipherSpec(data: Uint8Array): void {
  if (data.byteLength !== 1 || data[0] !== 1)
    throw new ParseError('invalid_ccs', 'ChangeCipherSpec must be the byte 1', 0);
}
