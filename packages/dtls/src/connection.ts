import {
  ByteReader,
  DropCounters,
  InvalidArgumentError,
  InvalidStateError,
  type Logger,
  type RandomSource,
  isParseError,
  secureRandom,
  silentLogger,
} from '@rtcwire/common';
import {
  AlertDescription,
  AlertLevel,
  DtlsError,
  FatalAlert,
  alertName,
  decodeAlert,
  decodeChangeCipherSpec,
  encodeAlert,
} from './alert.js';
import { ContentType, MAX_PLAINTEXT } from './constants.js';
import type { DtlsConnectionInfo, DtlsEvent, DtlsState } from './events.js';
import { type FlightItem, packFlight } from './flight.js';
import { type HandshakeFragment, decodeHandshakeFragments, encodeHandshakeMessage } from './handshake/header.js';
import { type HandshakeMessage, HandshakeReassembler } from './handshake/reassembler.js';
import type { SessionSecrets } from './key-schedule.js';
import { exportKeyingMaterial } from './prf.js';
import { type DtlsRecord, decodeRecord } from './record.js';
import { type SrtpKeys, splitSrtpKeyingMaterial, srtpKeyingMaterialLength, srtpProfileById } from './srtp-profiles.js';
import type { RecordProtection } from './record-cipher.js';
import { RecordLayer } from './record-layer.js';

/** Options shared by client and server. */
export interface DtlsBaseOptions {
  /** Randomness for hello randoms and ephemeral keys; must be secure outside tests (default: secureRandom). */
  readonly random?: RandomSource;
  /** Largest datagram to send, in bytes (default 1200). */
  readonly mtu?: number;
  /** First retransmission timeout (RFC 6347 §4.2.4.1 says 1000 ms; smaller values suit low-latency links). */
  readonly initialRetransmitMs?: number;
  /** Back-off ceiling (default 60000 ms). */
  readonly maxRetransmitMs?: number;
  /** Give up (event `failed`, code `handshake_timeout`) after this many retransmissions of one flight (default 10). */
  readonly maxRetransmissions?: number;
  /** Fail with `handshake_timeout` when the handshake is not done this long after our first flight (default 60000 ms). */
  readonly handshakeTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Application records that overtook the peer's Finished, kept until we are connected. */
const MAX_EARLY_DATA = 32;

/**
 * The record layer, flight/retransmission machinery, alerts and application data shared by
 * DtlsClient and DtlsServer (RFC 6347). Subclasses implement the handshake messages.
 */
export abstract class DtlsConnection {
  readonly role: 'client' | 'server';
  /** Remote input dropped, by reason. */
  readonly drops = new DropCounters();
  protected readonly random: RandomSource;
  protected readonly log: Logger;
  protected readonly mtu: number;
  private readonly initialRto: number;
  private readonly maxRto: number;
  private readonly maxRetransmissions: number;
  private readonly handshakeTimeoutMs: number;
  private handshakeDeadline: number | undefined;

  protected stateValue: DtlsState = 'new';
  protected readonly reassembler = new HandshakeReassembler();
  /** Handshake messages hashed for Finished / CertificateVerify / EMS (RFC 6347 §4.2.6). */
  protected transcript: Uint8Array[] = [];
  protected nextSendSeq = 0;
  protected writeEpoch = 0;
  private readonly records = new RecordLayer();
  private earlyData: Uint8Array[] = [];

  private flight: FlightItem[] = [];
  /** message_seq of the first message of the peer flight we are waiting for. */
  private peerFlightStart = 0;
  private rto: number;
  private retransmitAt: number | undefined;
  private retransmissions = 0;
  private lastFlightSentAt = Number.NEGATIVE_INFINITY;
  private readonly transmitQueue: Uint8Array[] = [];
  private readonly eventQueue: DtlsEvent[] = [];
  protected connectedInfo: DtlsConnectionInfo | undefined;
  protected session: SessionSecrets | undefined;

  protected constructor(role: 'client' | 'server', options: DtlsBaseOptions) {
    this.role = role;
    this.random = options.random ?? secureRandom;
    this.log = options.logger ?? silentLogger;
    this.mtu = options.mtu ?? 1200;
    if (this.mtu < 200 || this.mtu > 65507) throw new InvalidArgumentError(`mtu ${this.mtu} outside 200..65507`);
    this.initialRto = options.initialRetransmitMs ?? 1000;
    this.maxRto = options.maxRetransmitMs ?? 60_000;
    this.maxRetransmissions = options.maxRetransmissions ?? 10;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 60_000;
    this.rto = this.initialRto;
  }

  get state(): DtlsState {
    return this.stateValue;
  }

  /** Negotiated parameters, once connected. */
  get connectionInfo(): DtlsConnectionInfo | undefined {
    return this.connectedInfo;
  }

  // ---- driver interface -------------------------------------------------------------------

  /** Feed one received datagram. Never throws for remote input: bad records are dropped and counted. */
  handle(now: number, datagram: Uint8Array): void {
    if (this.stateValue === 'closed' || this.stateValue === 'failed') {
      this.drops.add('after_close');
      return;
    }
    // Records before a malformed one are still processed (RFC 6347 §4.1.2.7: drop only what is invalid).
    const reader = new ByteReader(datagram);
    while (reader.remaining > 0 && !this.isFinished()) {
      let record: DtlsRecord;
      try {
        record = decodeRecord(reader);
      } catch (err) {
        if (!isParseError(err)) throw err;
        this.drops.add('malformed_record');
        this.log.debug('dropped malformed record', { error: err.message });
        return;
      }
      this.handleRecord(now, record);
    }
  }

  /** Run timers that are due (retransmission). Safe to call early or late. */
  handleTimeout(now: number): void {
    if (this.stateValue === 'handshaking' && this.handshakeDeadline !== undefined && now >= this.handshakeDeadline) {
      this.fail(new DtlsError('handshake_timeout', `handshake not complete after ${this.handshakeTimeoutMs} ms`));
      return;
    }
    if (this.retransmitAt === undefined || now < this.retransmitAt) return;
    if (this.retransmissions >= this.maxRetransmissions) {
      this.fail(new DtlsError('handshake_timeout', `no answer after ${this.retransmissions} retransmissions`));
      return;
    }
    this.retransmissions++;
    this.rto = Math.min(this.rto * 2, this.maxRto); // RFC 6347 §4.2.4.1: double on each expiry
    this.log.debug('retransmitting flight', { rto: this.rto });
    this.transmitFlight(now);
    this.retransmitAt = now + this.rto;
  }

  pollTransmit(): Uint8Array | undefined {
    return this.transmitQueue.shift();
  }

  pollEvent(): DtlsEvent | undefined {
    return this.eventQueue.shift();
  }

  /** Absolute deadline for the next handleTimeout, or undefined. */
  pollTimeout(): number | undefined {
    const deadline = this.stateValue === 'handshaking' ? this.handshakeDeadline : undefined;
    if (this.retransmitAt === undefined) return deadline;
    return deadline === undefined ? this.retransmitAt : Math.min(this.retransmitAt, deadline);
  }

  /** Send application data as one record (at most 16384 bytes). */
  send(data: Uint8Array): void {
    if (this.stateValue !== 'connected') throw new InvalidStateError(`cannot send in state ${this.stateValue}`);
    if (data.byteLength > MAX_PLAINTEXT)
      throw new InvalidArgumentError(`record payload ${data.byteLength} > ${MAX_PLAINTEXT}`);
    this.transmitQueue.push(this.records.seal(ContentType.application_data, this.writeEpoch, data));
  }

  /** Send close_notify and close (RFC 5246 §7.2.1). */
  close(): void {
    if (this.stateValue === 'closed' || this.stateValue === 'failed') return;
    this.sendAlert(AlertLevel.warning, AlertDescription.close_notify);
    this.finish('closed');
    this.eventQueue.push({ type: 'closed' });
  }

  /** RFC 5705 keying-material exporter (e.g. label `EXTRACTOR-dtls_srtp`); only once connected. */
  exportKeyingMaterial(label: string, length: number, context?: Uint8Array): Uint8Array {
    const s = this.session;
    if (!s || this.stateValue !== 'connected') throw new InvalidStateError('keying material needs a connected session');
    return exportKeyingMaterial(s.hash, s.master, s.clientRandom, s.serverRandom, label, length, context);
  }

  /** DTLS-SRTP keys (RFC 5764 §4.2) for the negotiated profile; undefined when none was negotiated. */
  exportSrtpKeys(): SrtpKeys | undefined {
    const id = this.connectedInfo?.srtpProfile?.id;
    const profile = id === undefined ? undefined : srtpProfileById(id);
    if (!profile) return undefined;
    return splitSrtpKeyingMaterial(
      profile,
      this.exportKeyingMaterial('EXTRACTOR-dtls_srtp', srtpKeyingMaterialLength(profile)),
      this.role,
    );
  }

  // ---- for subclasses ---------------------------------------------------------------------

  protected abstract onHandshakeMessage(now: number, message: HandshakeMessage): void;
  /** A ClientHello fragment arriving while a server listens statelessly (bypasses reassembly). */
  protected onListenFragment(_now: number, _fragment: HandshakeFragment, _recordSeq: number): boolean {
    return false;
  }

  protected emit(event: DtlsEvent): void {
    this.eventQueue.push(event);
  }

  /** Append a message (as sent or received, unfragmented) to the transcript. */
  protected hashMessage(msgType: number, messageSeq: number, body: Uint8Array): void {
    this.transcript.push(encodeHandshakeMessage(msgType, messageSeq, body));
  }

  /** Build a handshake flight item with the next message_seq, adding it to the transcript. */
  protected handshakeItem(msgType: number, body: Uint8Array, hash = true): FlightItem {
    const messageSeq = this.nextSendSeq++;
    if (hash) this.hashMessage(msgType, messageSeq, body);
    return { kind: 'handshake', msgType, messageSeq, body, epoch: this.writeEpoch };
  }

  /** Start sending a new flight: transmit now and arm the timer (unless it is the final flight). */
  protected startFlight(now: number, items: FlightItem[], final: boolean): void {
    this.flight = items;
    this.handshakeDeadline ??= now + this.handshakeTimeoutMs;
    this.peerFlightStart = this.reassembler.nextSeq;
    this.rto = this.initialRto;
    this.retransmissions = 0;
    this.transmitFlight(now);
    this.retransmitAt = final ? undefined : now + this.rto;
  }

  /** Stop retransmitting (the peer's answer arrived and nothing more is expected). */
  protected stopRetransmissions(): void {
    this.retransmitAt = undefined;
  }

  /** Send a record outside any flight (HelloVerifyRequest). */
  protected queueDatagram(d: Uint8Array): void {
    this.transmitQueue.push(d);
  }

  protected installWriteKeys(epoch: number, protection: RecordProtection): void {
    this.records.installWrite(epoch, protection);
  }

  /** Make an epoch readable and replay any of its records that arrived early. */
  protected installReadKeys(now: number, epoch: number, protection: RecordProtection): void {
    for (const r of this.records.installRead(epoch, protection)) this.handleRecord(now, r);
  }

  protected setWriteSequence(epoch: number, seq: number): void {
    this.records.setWriteSequence(epoch, seq);
  }

  protected markConnected(info: DtlsConnectionInfo): void {
    this.stateValue = 'connected';
    this.connectedInfo = info;
    this.transcript = [];
    this.log.debug('connected', { role: this.role, suite: info.cipherSuite, srtp: info.srtpProfile?.name });
    this.emit({ type: 'connected', info });
    for (const d of this.earlyData) this.emit({ type: 'data', data: d });
    this.earlyData = [];
  }

  protected fail(error: DtlsError): void {
    if (this.stateValue === 'closed' || this.stateValue === 'failed') return;
    this.finish('failed');
    this.emit({ type: 'failed', error });
  }

  protected abortWithAlert(alert: FatalAlert): void {
    this.log.debug('aborting handshake', { alert: alertName(alert.alert), reason: alert.message });
    this.sendAlert(AlertLevel.fatal, alert.alert);
    this.fail(new DtlsError(alertName(alert.alert), alert.message, { alert: alert.alert, sent: true }));
  }

  protected sendAlert(level: number, code: number): void {
    this.transmitQueue.push(
      this.records.seal(ContentType.alert, this.writeEpoch, encodeAlert({ level, description: code })),
    );
    this.emit({
      type: 'alert',
      level: level === AlertLevel.fatal ? 'fatal' : 'warning',
      code,
      name: alertName(code),
      sent: true,
    });
  }

  protected isFinished(): boolean {
    return this.stateValue === 'closed' || this.stateValue === 'failed';
  }

  // ---- internals --------------------------------------------------------------------------

  private finish(state: 'closed' | 'failed'): void {
    this.stateValue = state;
    this.retransmitAt = undefined;
    this.flight = [];
    this.records.clearPending();
  }

  private transmitFlight(now: number): void {
    this.lastFlightSentAt = now;
    const datagrams = packFlight(
      this.flight,
      this.mtu,
      (type, epoch, plaintext) => this.records.seal(type, epoch, plaintext),
      (epoch) => this.records.overhead(epoch),
    );
    for (const d of datagrams) this.transmitQueue.push(d);
  }

  private handleRecord(now: number, record: DtlsRecord): void {
    const plaintext = this.records.open(record);
    if (typeof plaintext === 'string') {
      if (plaintext !== 'pending') this.drops.add(plaintext);
      return;
    }
    switch (record.contentType) {
      case ContentType.handshake:
        this.handleHandshakeRecord(now, record, plaintext);
        break;
      case ContentType.change_cipher_spec:
        // Keys are switched by the handshake itself; a CCS only has to be well formed.
        this.tryDecode(() => decodeChangeCipherSpec(plaintext), 'malformed_ccs');
        break;
      case ContentType.alert:
        this.handleAlert(record.epoch, plaintext);
        break;
      case ContentType.application_data:
        this.handleApplicationData(record.epoch, plaintext);
        break;
      default:
        this.drops.add('unknown_content_type');
    }
  }

  private handleApplicationData(epoch: number, data: Uint8Array): void {
    if (epoch === 0) {
      this.drops.add('plaintext_application_data');
    } else if (this.stateValue === 'connected') {
      this.emit({ type: 'data', data });
    } else if (this.earlyData.length < MAX_EARLY_DATA) {
      // Data that overtook the peer's Finished; delivered once we are connected.
      this.earlyData.push(data);
    } else {
      this.drops.add('early_application_data');
    }
  }

  /** Run a decoder; on ParseError count a drop under `reason` and return undefined. */
  private tryDecode<T>(decode: () => T, reason: string): T | undefined {
    try {
      return decode();
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add(reason);
      return undefined;
    }
  }

  private handleAlert(epoch: number, data: Uint8Array): void {
    const alert = this.tryDecode(() => decodeAlert(data), 'malformed_alert');
    if (!alert) return;
    if (epoch === 0 && this.stateValue === 'connected') {
      this.drops.add('unauthenticated_alert');
      return;
    }
    const level = alert.level;
    const code = alert.description;
    const name = alertName(code);
    const fatal = level === AlertLevel.fatal;
    this.emit({ type: 'alert', level: fatal ? 'fatal' : 'warning', code, name, sent: false });
    if (code === AlertDescription.close_notify) {
      // RFC 5246 §7.2.1: answer with our own close_notify.
      if (this.stateValue === 'connected') this.sendAlert(AlertLevel.warning, AlertDescription.close_notify);
      this.finish('closed');
      this.emit({ type: 'closed' });
    } else if (fatal) {
      this.fail(new DtlsError(name, `peer sent fatal alert ${name}`, { alert: code, sent: false }));
    }
  }

  private handleHandshakeRecord(now: number, record: DtlsRecord, plaintext: Uint8Array): void {
    let fragments: HandshakeFragment[];
    try {
      fragments = decodeHandshakeFragments(plaintext);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('malformed_handshake');
      return;
    }
    for (const f of fragments) {
      if (this.onListenFragment(now, f, record.sequenceNumber)) continue;
      const verdict = this.reassembler.add(f);
      if (verdict === 'rejected') this.drops.add('handshake_fragment_rejected');
      else if (verdict === 'old') this.onOldFragment(now, f);
    }
    this.drainMessages(now);
  }

  /** Deliver complete messages to the handshake; a FatalAlert aborts the connection. */
  protected drainMessages(now: number): void {
    for (let m = this.reassembler.pop(); m; m = this.reassembler.pop()) {
      try {
        this.onHandshakeMessage(now, m);
      } catch (err) {
        if (err instanceof FatalAlert) {
          this.abortWithAlert(err);
        } else if (isParseError(err)) {
          this.abortWithAlert(new FatalAlert(AlertDescription.decode_error, err.message));
        } else {
          throw err;
        }
      }
      if (this.isFinished()) return;
    }
  }

  /** RFC 6347 §4.2.4: the peer re-sent its previous flight, so ours was lost: send it again. */
  private onOldFragment(now: number, f: HandshakeFragment): void {
    if (f.messageSeq >= this.peerFlightStart || this.flight.length === 0) {
      this.drops.add('duplicate_handshake');
      return;
    }
    if (now - this.lastFlightSentAt < this.initialRto / 2) return; // one answer per burst
    this.log.debug('peer retransmitted; resending our flight');
    this.transmitFlight(now);
  }
}
