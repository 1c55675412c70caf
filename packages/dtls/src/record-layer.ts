import { DTLS_1_2, RECORD_HEADER_LENGTH } from './constants.js';
import { type DtlsRecord, writeRecord } from './record.js';
import type { RecordProtection } from './record-cipher.js';
import { ReplayWindow } from './replay-window.js';

interface ReadState {
  readonly protection: RecordProtection | undefined;
  readonly replay: ReplayWindow;
}

interface WriteState {
  readonly protection: RecordProtection | undefined;
  nextSeq: number;
}

/** How many records of the next epoch are kept while its keys are not known yet. */
const MAX_PENDING_RECORDS = 32;

/** Why `open` produced no plaintext. */
export type RecordDrop = 'pending' | 'unknown_epoch' | 'replay' | 'bad_record_mac';

/**
 * Per-epoch record protection (RFC 6347 §4.1): write sequence numbers, the anti-replay window
 * (§4.1.2.6), AEAD sealing/opening, and a small buffer for records of the next epoch that arrive
 * before its keys (e.g. a Finished that overtook the ClientKeyExchange).
 */
export class RecordLayer {
  private readonly reads: ReadState[] = [{ protection: undefined, replay: new ReplayWindow() }];
  private readonly writes: WriteState[] = [{ protection: undefined, nextSeq: 0 }];
  private pending: DtlsRecord[] = [];

  /** Seal a plaintext into a full record for `epoch`, taking the next sequence number. */
  seal(type: number, epoch: number, plaintext: Uint8Array): Uint8Array {
    const w = this.writes[epoch];
    if (!w) throw new Error(`no write state for epoch ${epoch}`);
    const seq = w.nextSeq++;
    const fragment = w.protection ? w.protection.encrypt(type, DTLS_1_2, epoch, seq, plaintext) : plaintext;
    const out = new Uint8Array(RECORD_HEADER_LENGTH + fragment.byteLength);
    writeRecord(out, 0, type, DTLS_1_2, epoch, seq, fragment);
    return out;
  }

  /** Bytes the protection of `epoch` adds to each record's plaintext. */
  overhead(epoch: number): number {
    return this.writes[epoch]?.protection?.overhead ?? 0;
  }

  installWrite(epoch: number, protection: RecordProtection): void {
    this.writes[epoch] = { protection, nextSeq: 0 };
  }

  /** Make `epoch` readable; returns the records that were waiting for it. */
  installRead(epoch: number, protection: RecordProtection): DtlsRecord[] {
    this.reads[epoch] = { protection, replay: new ReplayWindow() };
    const waiting = this.pending;
    this.pending = [];
    return waiting;
  }

  setWriteSequence(epoch: number, seq: number): void {
    const w = this.writes[epoch];
    if (w) w.nextSeq = seq;
  }

  clearPending(): void {
    this.pending = [];
  }

  /** The authenticated plaintext of a record, or why it was not delivered. */
  open(record: DtlsRecord): Uint8Array | RecordDrop {
    const rs = this.reads[record.epoch];
    if (!rs) {
      if (record.epoch === this.reads.length && this.pending.length < MAX_PENDING_RECORDS) {
        this.pending.push({ ...record, fragment: record.fragment.slice() });
        return 'pending';
      }
      return 'unknown_epoch';
    }
    // Epoch 0 is unauthenticated and restarts after a HelloVerifyRequest; handshake message_seq dedupes it.
    if (record.epoch > 0 && !rs.replay.check(record.sequenceNumber)) return 'replay';
    if (!rs.protection) return record.fragment;
    const { contentType, version, epoch, sequenceNumber, fragment } = record;
    const opened = rs.protection.decrypt(contentType, version, epoch, sequenceNumber, fragment);
    // RFC 6347 §4.1.2.7: records that fail authentication are silently discarded.
    if (!opened) return 'bad_record_mac';
    rs.replay.accept(sequenceNumber);
    return opened;
  }
}
