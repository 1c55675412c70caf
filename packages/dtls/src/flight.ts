import { encodeChangeCipherSpec } from './alert.js';
import { ContentType, HANDSHAKE_HEADER_LENGTH, RECORD_HEADER_LENGTH } from './constants.js';
import { encodeHandshakeFragment } from './handshake/header.js';

/** One entry of an outgoing flight (RFC 6347 §4.2.4), kept whole so it can be re-sent. */
export type FlightItem =
  | {
      readonly kind: 'handshake';
      readonly msgType: number;
      readonly messageSeq: number;
      readonly body: Uint8Array;
      readonly epoch: number;
    }
  | { readonly kind: 'ccs'; readonly epoch: number };

/** Seals a plaintext into a full record for `epoch` (taking the next sequence number). */
export type RecordSealer = (contentType: number, epoch: number, plaintext: Uint8Array) => Uint8Array;

/** Smallest handshake fragment worth starting at the end of a partly filled datagram. */
const MIN_TAIL_FRAGMENT = 48;

/**
 * Serialize a flight into datagrams of at most `mtu` bytes: handshake messages are fragmented to
 * fit (RFC 6347 §4.2.3) and consecutive records share a datagram (§4.1.1). Every call seals fresh
 * records with new sequence numbers, as a retransmission must.
 */
export function packFlight(
  items: readonly FlightItem[],
  mtu: number,
  seal: RecordSealer,
  overhead: (epoch: number) => number,
): Uint8Array[] {
  const datagrams: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  let used = 0;
  const flush = (): void => {
    if (used === 0) return;
    const d = new Uint8Array(used);
    let at = 0;
    for (const p of parts) {
      d.set(p, at);
      at += p.byteLength;
    }
    datagrams.push(d);
    parts = [];
    used = 0;
  };
  const push = (record: Uint8Array): void => {
    if (used > 0 && used + record.byteLength > mtu) flush();
    parts.push(record);
    used += record.byteLength;
  };
  for (const item of items) {
    if (item.kind === 'ccs') {
      push(seal(ContentType.change_cipher_spec, item.epoch, encodeChangeCipherSpec()));
      continue;
    }
    const perRecord = RECORD_HEADER_LENGTH + overhead(item.epoch) + HANDSHAKE_HEADER_LENGTH;
    const total = item.body.byteLength;
    let offset = 0;
    do {
      let space = mtu - used - perRecord;
      if (space < Math.min(MIN_TAIL_FRAGMENT, total - offset)) {
        flush();
        space = mtu - perRecord;
      }
      const len = Math.min(space, total - offset);
      push(
        seal(
          ContentType.handshake,
          item.epoch,
          encodeHandshakeFragment(item.msgType, item.messageSeq, item.body, offset, len),
        ),
      );
      offset += len;
    } while (offset < total);
  }
  flush();
  return datagrams;
}
